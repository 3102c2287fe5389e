export {
  AnomalyModel,
  meanSsim,
  runtimeInfo,
  type CamSign,
  type DeviceRequest,
  type ExplainOptions,
  type ExplainResult,
  type ImageArray,
  type LossKind,
  type MapKind,
  type ModelConfig,
  type ResolvedModelConfig,
  type ScoreKind,
  type TrainOptions,
  type TrainProgress,
  type TrainResult,
  type TrainState,
} from './model';
export { ADDON_PATH, loadAddon } from './addon';
export * from './metrics';
