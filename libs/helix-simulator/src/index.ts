export { POPULATION_SHAPES, type PopulationShape } from './audience-shapes';
export { CATEGORIES, type SimulatedCategory } from './categories';
export { NO_FAULTS, type SimulatorFaults } from './faults';
export type { Exposure, GroundTruth, GroundTruthQuery } from './ground-truth';
export {
  type HelixSimulator,
  type HelixSimulatorOptions,
  type SimulatorStats,
  startHelixSimulator,
} from './helix-simulator';
export { LANGUAGES, type SimulatedLanguage } from './languages';
export { MALFORMATIONS } from './malformations';
export type { SimulatorClock } from './virtual-clock';
export { mulberry32 } from './random';
