export { type AnalyticsModelName, analyticsModelParameters, trendWindowDates } from './analytics-models';
export { contentTypeOf, NON_GAME_CATEGORY_IDS } from './content-type';
export { installFeatureMacros } from './feature-macros';
export { hoursWatchedAccuracyNote } from './hours-watched-accuracy';
export { intlDayPeriod, intlLocalDate, intlLocalHour } from './intl-local-time';
export { type LocalTime, localTimesOf } from './local-time';
export { checkModelRules, type ModelRules, modelRules, type RuleViolation } from './model-rules';
export {
  readSavedQueries,
  type DeprecatedParameterName,
  type SavedQuery,
  type SavedQueryFiles,
  type SavedQueryParameter,
  type SavedQueryParameterType,
  savedQueries,
  savedQueryValues,
  typedParameterValue,
} from './saved-queries';
export {
  listSqlFiles,
  MODEL_NAMES,
  type ModelName,
  modelSql,
  readSqlFile,
  type SqlFolder,
} from './sql-files';
