/**
 * dissmodel-ca's catalogue beyond Game of Life and the fires, one file per
 * model on the shared cellular space (space.ts, automaton.ts, run.ts).
 * Importing this module registers them.
 */
import './anneal.ts';
import './growth.ts';
import './excitable.ts';
import './oscillator.ts';
import './parasit.ts';
import './parity.ts';
import './snow.ts';
import './wolfram.ts';
import './solid-diffusion.ts';
import './propagation.ts';
import './interspecific-competition.ts';
