export { type AwsErrorAnswer, type AwsJsonStub, type StubCall, startAwsJsonStub } from './aws-json-stub';
export { type S3Emulator, type S3EmulatorOptions, startS3Emulator } from './s3rver';
export { type DynamoEmulator, startDynamoEmulator } from '../realtime-dynalite';
export { realtimeItem } from '../realtime-items';
