/**
 * The rest of dissmodel-sysdyn's catalogue, one file per model (SIR,
 * predator–prey and Lorenz live in executor.ts). Importing this module
 * registers them.
 */
import './population-growth.ts';
import './chaotic-growth.ts';
import './limited-growth.ts';
import './homeostasis.ts';
import './yeast.ts';
import './random-walk.ts';
import './room-temperature.ts';
import './tub.ts';
import './mono-lake.ts';
import './daisyworld.ts';
