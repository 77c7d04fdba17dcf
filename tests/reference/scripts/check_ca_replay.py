"""Replays every ca_*.json from the rule text in its "model"/"notes" fields, in plain Python
(no DisSModel, no geopandas): proves the vectors and their notes are complete enough to port.
Uses the recorded neighbour lists where their order matters (KNN, InterspecificCompetition).

  /usr/bin/python3 check_ca_replay.py    # prints "<model> ok" per vector
"""
import json, random
import os
D=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '')
def load(n): return json.load(open(D+f'ca_{n}.json'))
def geo(c):
    nr=c['grid']['n_rows']; nc=c['grid']['n_cols']; ids=c['ids']
    pos={i:k for k,i in enumerate(ids)}
    return nr,nc,ids,pos
def moore(r,c,nr,nc,rook=False):
    out=[]
    for dr in (-1,0,1):
        for dc in (-1,0,1):
            if dr==dc==0: continue
            if rook and dr and dc: continue
            rr,cc=r+dr,c+dc
            if 0<=rr<nr and 0<=cc<nc: out.append(f'{rr}-{cc}')
    return out
def rc(i): r,c=i.split('-'); return int(r),int(c)
def sync(name, fn, rook=False, rng_init=None):
    d=load(name); allok=True
    for c in d['cases']:
        nr,nc,ids,pos=geo(c)
        nb={i:[pos[j] for j in moore(*rc(i),nr,nc,rook)] for i in ids}
        st=c['initial']
        if rng_init: 
            exp=rng_init(c, len(ids))
            if exp!=st: print(name,c['name'],'INIT MISMATCH'); allok=False
        for s in c['steps']:
            st=[fn(st[k], [st[j] for j in nb[i]], s['t']) for k,i in enumerate(ids)]
            if st!=s['state']: print(name, c['name'], 'step', s['t'], 'MISMATCH'); allok=False; break
    print(name, 'ok' if allok else 'FAIL')
def anneal(s,n,t):
    cnt=sum(1 for v in n if v==0)+(1 if s==0 else 0)
    return 1 if cnt<=3 else 0 if cnt==4 else 1 if cnt==5 else 0
sync('anneal', anneal, rng_init=lambda c,n: (random.seed(c['rng_seeded_by_script']['S']), [random.choice([0,1]) for _ in range(n)])[1])
AM=[0,-1,-2,-2,-3,-2,-2,-1,0,1,2,2,3,2,2,1]
sync('oscillator', lambda s,n,t: (s+AM[s]+1)%16 if 0 in n else (s+1)%16, rng_init=lambda c,n:(lambda r:[r.randint(0,15) for _ in range(n)])(random.Random(c['params']['seed'])))
def par(s,n,t):
    if s==0: return 1 if 1 in n else 0
    if s==3: return 4 if 5 in n else 3
    return (s+1)%9
sync('parasit', par, rook=True, rng_init=lambda c,n:(lambda r:[r.randint(0,8) for _ in range(n)])(random.Random(c['params']['seed'])))
sync('excitable', lambda s,n,t: (1 if any(v>0 for v in n) else 0) if s==0 else (s+1)%6, rook=True)
sync('parity', lambda s,n,t: 1 if sum(n) in (1,3) else 0, rook=True)
# Interspecific: use recorded neighbours, check they equal rook sets
P={0:{0:0.00,1:0.02,2:0.06,3:0.05,4:0.03},1:{0:0.23,1:0.00,2:0.09,3:0.32,4:0.37},2:{0:0.06,1:0.08,2:0.00,3:0.16,4:0.09},3:{0:0.44,1:0.06,2:0.06,3:0.00,4:0.11},4:{0:0.03,1:0.02,2:0.03,3:0.05,4:0.00}}
d=load('interspecific_competition'); ok=True
for c in d['cases']:
    nr,nc,ids,pos=geo(c); nb=c['neighbours']
    for i in ids:
        if sorted(nb[i])!=sorted(moore(*rc(i),nr,nc,True)): print('rook set differs', i); ok=False
    rng=random.Random(c['params']['seed'])
    if c['params']['displacement']=='Random': st=[rng.choice([0,1,2,3,4]) for _ in ids]
    else: st=c['initial']
    if st!=c['initial']: print('init mismatch'); ok=False
    for s in c['steps']:
        new=[]
        for k,i in enumerate(ids):
            cur=st[k]; vals=[st[pos[j]] for j in nb[i]]; n=len(vals); cnt={}
            for v in vals: cnt[v]=cnt.get(v,0)+1
            probs={}; tot=0.0
            for sp,ct in cnt.items():
                p=(ct/n)*P[sp][cur]; probs[sp]=probs.get(sp,0.0)+p; tot+=p
            probs[cur]=probs.get(cur,0.0)+(1.0-tot)
            r=rng.random(); cs=0.0; res=cur
            for sp,p in probs.items():
                cs+=p
                if r<=cs: res=sp; break
            new.append(res)
        st=new
        if st!=s['state']: print('IC', c['name'], 'step', s['t'], 'MISMATCH'); ok=False; break
    # neighbour order: report whether it is sorted/which order
print('interspecific', 'ok' if ok else 'FAIL')
c=d['cases'][0]; print('rook order sample', {k:c['neighbours'][k] for k in ['0-0','1-1','3-5','5-39']})
# solid diffusion
d=load('solid_diffusion'); ok=True
for c in d['cases']:
    nr,nc,ids,pos=geo(c); dim=c['params']['dim']; rng=random.Random(c['params']['seed']); st=list(c['initial'])
    for s in c['steps']:
        order=list(ids); rng.shuffle(order)
        for i in order:
            if st[pos[i]]!=2: continue
            x,y=rc(i); cand=[]
            for dy in (-1,0,1):
                for dx in (-1,0,1):
                    if dx==dy==0: continue
                    nx,ny=x+dx,y+dy
                    if 0<=nx<dim and 0<=ny<dim: cand.append(f'{ny}-{nx}')
            cand=[j for j in cand if st[pos[j]]!=2]
            if not cand: continue
            ch=rng.choice(cand); st[pos[i]]=st[pos[ch]]; st[pos[ch]]=2
        if st!=s['state']: print('SD', c['name'], s['t'], 'MISMATCH'); ok=False; break
print('solid_diffusion', 'ok' if ok else 'FAIL')
# wolfram
d=load('wolfram'); ok=True
for c in d['cases']:
    nr,nc,ids,pos=geo(c); rule=c['params']['rule_number']; final=c['params']['final_time']; st=list(c['initial'])
    bits=format(rule,'08b'); tab={p:int(b) for p,b in zip(['111','110','101','100','011','010','001','000'],bits)}
    for s in c['steps']:
        t=s['t']
        if 0<t<=final:
            for x in range(nc):
                conf=f"{st[pos[f'{t-1}-{(x-1)%nc}']]}{st[pos[f'{t-1}-{x}']]}{st[pos[f'{t-1}-{(x+1)%nc}']]}"
                st[pos[f'{t}-{x}']]=tab[conf]
        if st!=s['state']: print('W', c['name'], t, 'MISMATCH'); ok=False; break
print('wolfram', 'ok' if ok else 'FAIL')
# growth
d=load('growth'); ok=True
for c in d['cases']:
    nr,nc,ids,pos=geo(c); random.seed(c['rng_seeded_by_script']['S']); p=c['params']['probability']; st=list(c['initial'])
    nb={i:[pos[j] for j in moore(*rc(i),nr,nc)] for i in ids}
    for s in c['steps']:
        new=[]
        for k,i in enumerate(ids):
            if st[k]==1: new.append(1); continue
            a=sum(1 for j in nb[i] if st[j]==1)
            new.append(1 if (a>0 and random.random()<p) else 0)
        st=new
        if st!=s['state']: print('G', c['name'], s['t'], 'MISMATCH'); ok=False; break
print('growth', 'ok' if ok else 'FAIL', [sum(s['state']) for s in d['cases'][0]['steps']])
# snow
d=load('snow'); ok=True
for c in d['cases']:
    nr,nc,ids,pos=geo(c); random.seed(c['rng_seeded_by_script']['S']); p=c['params']['probability']; dim=c['params']['dim']; me=c['params']['model_end_time']; me=float('inf') if me=='inf' else me
    st=list(c['initial'])
    for s in c['steps']:
        t=s['t']; new=[]
        for k,i in enumerate(ids):
            y,x=rc(i); v=st[k]
            if y==dim-1: new.append(1 if (v==0 and t<me-dim and random.random()<p) else 0); continue
            if v==1:
                if y==0: new.append(1); continue
                new.append(0 if st[pos[f'{y-1}-{x}']]==0 else 1); continue
            new.append(1 if (y+1<dim and st[pos[f'{y+1}-{x}']]==1) else 0)
        st=new
        if st!=s['state']: print('S', c['name'], t, 'MISMATCH'); ok=False; break
print('snow', 'ok' if ok else 'FAIL', [sum(s['state']) for s in d['cases'][0]['steps']])
# propagation
import numpy as np
d=load('propagation'); ok=True
for c in d['cases']:
    nr,nc,ids,pos=geo(c); nb=c['neighbours']; dens=c['params']['initial_density']; prob=c['params']['prob']
    random.seed(42); init=random.choices([0,1], weights=[1-dens, dens], k=len(ids))
    if init!=c['initial']: print('P init mismatch'); ok=False
    rs=np.random.RandomState(c['rng_seeded_by_script']['S']); st=list(init)
    for s in c['steps']:
        new=[]
        for k,i in enumerate(ids):
            if st[k]==1: new.append(1); continue
            on=any(st[pos[j]]==1 for j in nb[i])
            new.append(1 if (on and rs.rand()<prob) else 0)
        st=new
        if st!=s['state']: print('P', c['name'], s['t'], 'MISMATCH'); ok=False; break
print('propagation', 'ok' if ok else 'FAIL', {k:d['cases'][0]['neighbours'][k] for k in ['0-0','0-5','5-5','9-11']})
