export { InvalidStepInputError } from './invalid-step-input-error';
export { MissingSettingError } from './missing-setting-error';
