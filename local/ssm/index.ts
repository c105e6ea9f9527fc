export { startLocalSsm } from './server';
export { createLocalSsmClient } from './client';
export type {
  LocalSsm,
  LocalSsmOptions,
  LocalSsmRequest,
  ParameterType,
  SeedParameter,
  SeedParameters,
} from './server';
export { parseSeedParameters, InvalidSeedError } from './seed';
