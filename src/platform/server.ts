/**
 * `dissmodel serve`: DisSModel Platform's HTTP API on Fastify — the same
 * paths, field names and status values (services/api/main.py), so its clients
 * (the BR-MANGUE QGIS plugin, notebooks) work unchanged — on a BullMQ queue.
 *
 * Every body and query is checked against a JSON schema (schemas.ts) before a
 * handler runs: a malformed request is a 400 with the reason in `detail`, a
 * missing or wrong X-API-Key a 401, an unknown model or job a 404, and in none
 * of these cases is anything queued.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { timingSafeEqual, createHash } from 'node:crypto';
import { basename } from 'node:path';
import { describeError, ExecutorRegistry, newRunRecord, parseRecord, RECORD_LIMITS, type ExecutorSpec } from '../executor/index.ts';
import { MAX_INPUT_BYTES } from '../io/limits.ts';
import { CODE_VERSION } from '../version.ts';
import { s3ClientOf, type PlatformConfig } from './config.ts';
import { nonPublicAddressOf } from '../cli/network-guard.ts';
import { TERMINAL } from './client.ts';
import { buildJobRecord, checkObjectKey, enqueue, RequestError, toResponse, type JobData } from './jobs.ts';
import { openApiDocument } from './openapi.ts';
import {
  downloadQuery,
  errorSchema,
  experimentIdParams,
  jobRequestSchema,
  jobResponseSchema,
  jobsQuery,
  type JobRequest,
  type Priority,
} from './schemas.ts';
import { parseS3Uri, S3Client, s3Uri } from './s3.ts';
import { RecordStore } from './store.ts';

export interface PlatformServer {
  app: FastifyInstance;
  queue: Queue<JobData>;
  store: RecordStore;
  close(): Promise<void>;
}

/** Request bodies: a JSON request is small; an upload may be as large as any input. */
export const MAX_JSON_BODY = 1024 * 1024;

const sha = (s: string) => createHash('sha256').update(s).digest();

function specSummary(spec: ExecutorSpec) {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    family: spec.family ?? '',
    inputs: spec.inputs,
    output: spec.output,
    parameters: spec.params,
    bands: spec.bands ?? [],
    columns: spec.columns ?? [],
  };
}

export async function buildServer(config: PlatformConfig): Promise<PlatformServer> {
  const s3 = s3ClientOf(config);
  // Presigned links are signed for the address clients use (the signature covers the host).
  const publicS3 = new S3Client({ ...config.s3, endpoint: config.publicS3Endpoint });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queueRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const store = new RecordStore(redis);
  const queue = new Queue<JobData>(config.queueName, { connection: queueRedis });
  const keys = config.apiKeys.map(sha);

  const app = Fastify({
    bodyLimit: MAX_JSON_BODY,
    // A request must arrive whole in time (Node checks every 30 s), a connection that sends nothing is closed, and closing the server ends every connection (a client that
    // holds one open cannot keep it from stopping).
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.idleTimeoutMs,
    forceCloseConnections: true,
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false, allowUnionTypes: true } },
  });
  // CORS: only the configured page origins (none by default). The preflight a browser
  // sends before a request with X-API-Key is answered here, without a key.
  const origins = new Set(config.corsOrigins);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin !== undefined && (origins.has('*') || origins.has(origin))),
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['content-type', 'x-api-key'],
    maxAge: 600,
    strictPreflight: true,
  });
  await app.register(multipart, { limits: { fileSize: MAX_INPUT_BYTES, files: 1, fields: 10, fieldSize: RECORD_LIMITS.maxString } });
  app.addSchema(jobRequestSchema);
  app.addSchema(jobResponseSchema);
  app.addSchema(errorSchema);

  // DisSModel's error shape: {"detail": "..."}.
  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; validationContext?: string }, _req, reply) => {
    if (error.validation) return reply.code(400).send({ detail: `Invalid request: ${error.message}` });
    if (error instanceof RequestError) return reply.code(error.statusCode).send({ detail: error.message });
    const code = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (code === 500) process.stderr.write(`[dissmodel serve] ${describeError(error)}\n`);
    return reply.code(code).send({ detail: code === 500 ? `Internal error: ${describeError(error)}` : describeError(error) });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ detail: `No route ${req.method} ${req.url.split('?')[0]}` }));

  /** The request's API key, as a short hash (never the key itself), once authenticated. */
  const keyOf = new WeakMap<FastifyRequest, string>();
  const requireKey = async (req: FastifyRequest, reply: FastifyReply) => {
    const given = req.headers['x-api-key'];
    if (typeof given !== 'string' || given === '') return reply.code(401).send({ detail: 'Missing X-API-Key header' });
    const h = sha(given);
    if (!keys.some((k) => timingSafeEqual(k, h))) return reply.code(401).send({ detail: 'Invalid API key' });
    keyOf.set(req, h.toString('hex').slice(0, 16));
  };
  const auth = { onRequest: requireKey };

  const loadJob = async (id: string) => {
    const stored = await store.get(id);
    if (!stored) throw new RequestError(404, `Experiment '${id}' not found`);
    return stored;
  };
  const respond = async (id: string) => toResponse(await loadJob(id), await queue.getJob(id));

  /**
   * Count a new job against its key's cap on queued + running jobs: one Redis script
   * adds the id only while the key is under its cap, so concurrent submissions are
   * admitted exactly up to it. At the cap, ids of jobs that have ended are dropped
   * (and ids never stored after a minute: a request that died in between) and the
   * script is tried once more.
   */
  const ADMIT =
    "if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end " +
    "if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) return 1 end " +
    'return 0';
  const admit = async (key: string, id: string) => {
    const set = `dissmodel:key:${key}:jobs`;
    const tryAdd = async () => (await redis.eval(ADMIT, 1, set, id, String(config.maxJobsPerKey), String(Date.now()))) === 1;
    if (await tryAdd()) return set;
    const members = await redis.zrange(set, '0', '-1', 'WITHSCORES');
    for (let i = 0; i < members.length; i += 2) {
      const other = members[i];
      const stored = await store.get(other);
      const ended = stored
        ? TERMINAL.has((await toResponse(stored, await queue.getJob(other))).status)
        : Date.now() - Number(members[i + 1]) > 60_000;
      if (ended) await redis.zrem(set, other);
    }
    if (await tryAdd()) return set;
    throw new RequestError(
      429,
      `This API key has ${await redis.zcard(set)} jobs queued or running, the most allowed (DISSMODEL_MAX_JOBS_PER_KEY=${config.maxJobsPerKey}); ` +
        'wait for some to finish or cancel them (DELETE /job/{id}), then submit again.',
    );
  };

  const submit = async (data: JobData, priority: Priority, key: string) => {
    const id = data.record.experiment_id;
    const existing = await store.get(id);
    if (existing) return respond(id); // idempotent: the same experiment is the same job
    const set = await admit(key, id);
    try {
      await store.put({ record: data.record, attempts: 0 });
      await enqueue(queue, data, priority, config.attempts, config.backoffMs);
    } catch (e) {
      await redis.zrem(set, id);
      throw e;
    }
    return respond(id);
  };

  /** An http(s) input may reach public addresses only, unless configured otherwise. */
  const checkReachable = async (uri: string) => {
    if (config.allowPrivateInputs || !/^https?:\/\//i.test(uri)) return;
    let found;
    try {
      found = await nonPublicAddressOf(uri);
    } catch (e) {
      throw new RequestError(400, describeError(e));
    }
    if (found)
      throw new RequestError(
        400,
        `input_dataset ${uri.slice(0, 200)}: ${found.host === found.address ? found.host : `${found.host} (${found.address})`} is ${found.reason}; ` +
          'this server fetches inputs from public addresses only (DISSMODEL_ALLOW_PRIVATE_INPUTS).',
      );
  };

  app.get('/', async () => ({ service: 'DisSModel Platform API (DisSModel Workbench)', version: CODE_VERSION, docs: '/openapi.json' }));

  app.get('/health', async (_req, reply) => {
    try {
      await redis.ping();
      await s3.exists(config.outputBucket, '.health');
      return { status: 'healthy', timestamp: new Date().toISOString() };
    } catch (e) {
      return reply.code(503).send({ detail: `Service unhealthy: ${describeError(e)}` });
    }
  });

  app.get('/openapi.json', async () => openApiDocument());

  app.get('/models', auth, async () => ({ models: ExecutorRegistry.specs().map(specSummary) }));

  app.get<{ Params: { model_name: string } }>(
    '/models/:model_name',
    { ...auth, schema: { params: { type: 'object', properties: { model_name: { type: 'string', maxLength: 200 } } } } },
    async (req) => {
      if (!ExecutorRegistry.has(req.params.model_name))
        throw new RequestError(404, `Model '${req.params.model_name}' not found. Available: ${ExecutorRegistry.list().join(', ')}.`);
      return { model_name: req.params.model_name, spec: specSummary(ExecutorRegistry.get(req.params.model_name).spec) };
    },
  );

  app.post<{ Body: JobRequest }>('/submit_job', { ...auth, schema: { body: { $ref: 'JobRequest#' } } }, async (req) => {
    const { record } = buildJobRecord(req.body, config.allowHttpInputs);
    await checkReachable(record.source.uri);
    return submit(
      { record, ...(req.body.input_sha256 ? { expected_input_sha256: req.body.input_sha256 } : {}) },
      req.body.priority,
      keyOf.get(req) ?? '',
    );
  });

  app.get<{ Params: { experiment_id: string } }>('/job/:experiment_id', { ...auth, schema: { params: experimentIdParams } }, async (req) =>
    respond(req.params.experiment_id),
  );

  app.get<{ Querystring: { limit: number; status?: string } }>('/jobs', { ...auth, schema: { querystring: jobsQuery } }, async (req) => {
    const total = await store.count();
    const ids = await store.ids(req.query.status ? total : req.query.limit);
    const experiments = [];
    for (const id of ids) {
      const stored = await store.get(id);
      if (!stored) continue;
      const r = await toResponse(stored, await queue.getJob(id));
      if (!req.query.status || r.status === req.query.status) experiments.push(r);
      if (experiments.length >= req.query.limit) break;
    }
    return { experiments, total };
  });

  app.delete<{ Params: { experiment_id: string } }>(
    '/job/:experiment_id',
    { ...auth, schema: { params: experimentIdParams } },
    async (req) => {
      const id = req.params.experiment_id;
      const current = await respond(id);
      if (current.status === 'completed' || current.status === 'failed')
        throw new RequestError(400, 'Cannot cancel a completed or failed experiment');
      if (current.status === 'cancelled') return { message: 'Experiment cancelled', experiment_id: id };
      const job = await queue.getJob(id);
      let removed = false;
      if (job && (await job.getState()) !== 'active') {
        try {
          await job.remove();
          removed = true;
        } catch {
          removed = false; // it became active meanwhile: the worker is told below
        }
      }
      await store.update(id, (j) => {
        j.record.status = 'cancelled';
        j.record.logs.push(removed ? 'Cancelled via API (removed from the queue)' : 'Cancelled via API (the worker stops within one step)');
      });
      if (!removed) await redis.publish(store.cancelChannel, id);
      return { message: 'Experiment cancelled', experiment_id: id };
    },
  );

  app.post<{ Params: { experiment_id: string } }>(
    '/experiments/:experiment_id/reproduce',
    { ...auth, schema: { params: experimentIdParams } },
    async (req) => {
      const original = (await loadJob(req.params.experiment_id)).record;
      if (!ExecutorRegistry.has(original.model_name)) throw new RequestError(404, `Model '${original.model_name}' not found.`);
      const record = newRunRecord({
        model_name: original.model_name,
        model_commit: original.model_commit,
        code_version: original.code_version,
        resolved_spec: original.resolved_spec,
        source: {
          type: original.source.type,
          uri: original.source.uri,
          collection: original.source.collection,
          version: original.source.version,
        },
        input_format: original.input_format,
        parameters: original.parameters,
        column_map: original.column_map,
        band_map: original.band_map,
        period: original.period,
      });
      record.logs.push(`Reproducing experiment=${original.experiment_id}`);
      return submit(
        {
          record: parseRecord(JSON.parse(JSON.stringify(record))),
          ...(original.source.checksum ? { expected_input_sha256: original.source.checksum } : {}),
        },
        'normal',
        keyOf.get(req) ?? '',
      );
    },
  );

  // Each upload is held in memory (up to MAX_INPUT_BYTES) until stored: a few at a time bound the server's memory.
  let uploading = 0;
  app.post('/data/upload', auth, async (req) => {
    if (!req.isMultipart()) throw new RequestError(400, 'Send multipart/form-data with a "file" part and a "label" field.');
    if (uploading >= config.maxUploads)
      throw new RequestError(
        429,
        `${uploading} uploads are in progress, the most this server receives at once (DISSMODEL_MAX_UPLOADS=${config.maxUploads}); try again shortly.`,
      );
    uploading++;
    try {
      return await receiveUpload(req);
    } catch (e) {
      // A client that went away mid-upload is not a server error.
      if (req.raw.destroyed || req.raw.aborted || /^aborted$/i.test((e as Error).message ?? ''))
        throw new RequestError(400, 'The upload was interrupted before its end; nothing was stored.');
      throw e;
    } finally {
      uploading--;
    }
  });

  const receiveUpload = async (req: FastifyRequest) => {
    let label: string | undefined;
    let file: { filename: string; bytes: Buffer; type: string } | undefined;
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === 'label') label = String(part.value);
      } else if (part.fieldname === 'file') {
        const bytes = await part.toBuffer();
        if (part.file.truncated)
          throw new RequestError(413, `The file is larger than ${MAX_INPUT_BYTES} bytes, the largest input accepted.`);
        file = { filename: part.filename, bytes, type: part.mimetype };
      } else {
        await part.toBuffer();
      }
    }
    if (!file) throw new RequestError(400, 'Missing the "file" part.');
    if (!label) throw new RequestError(400, 'Missing the "label" field.');
    const clean = (s: string) =>
      s
        .replace(/[^\w.-]+/g, '_')
        .replace(/^\.+/, '')
        .slice(0, 200);
    const name = clean(basename(file.filename || 'input'));
    const lab = clean(label);
    if (!name || !lab) throw new RequestError(400, 'The label and the file name must contain letters or digits.');
    const key = `inputs/${lab}/${name}`;
    await s3.put(config.inputBucket, key, file.bytes, file.type || 'application/octet-stream');
    return {
      uri: s3Uri(config.inputBucket, key),
      label: lab,
      checksum: createHash('sha256').update(file.bytes).digest('hex'),
      size_mb: Math.round((file.bytes.length / 1e6) * 100) / 100,
    };
  };

  app.get<{ Querystring: { uri: string; expires_hours: number; proxy: boolean } }>(
    '/download',
    { ...auth, schema: { querystring: downloadQuery } },
    async (req, reply) => {
      const { bucket, key } = parseS3Uri(req.query.uri);
      checkObjectKey(key, 'uri');
      if (bucket !== config.inputBucket && bucket !== config.outputBucket)
        throw new RequestError(400, `Only s3://${config.inputBucket}/… and s3://${config.outputBucket}/… can be downloaded here.`);
      if (req.query.proxy) {
        if (!(await s3.exists(bucket, key))) throw new RequestError(404, `${req.query.uri} does not exist.`);
        const bytes = await s3.get(bucket, key);
        return reply.header('content-type', 'application/octet-stream').send(Buffer.from(bytes));
      }
      const url = await publicS3.presign(bucket, key, req.query.expires_hours * 3600);
      return { url, expires_in_hours: req.query.expires_hours };
    },
  );

  await s3.ensureBucket(config.inputBucket);
  await s3.ensureBucket(config.outputBucket);

  return {
    app,
    queue,
    store,
    async close() {
      await app.close();
      await queue.close();
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}
