/** The ARNs a pipeline definition is built with in tests: four functions and the alerts topic. */
export const STEP_ARNS = {
  extract: 'arn:aws:lambda:sa-east-1:123456789012:function:extract',
  publish: 'arn:aws:lambda:sa-east-1:123456789012:function:publish',
  silver: 'arn:aws:lambda:sa-east-1:123456789012:function:silver',
  gold: 'arn:aws:lambda:sa-east-1:123456789012:function:gold',
  alertsTopic: 'arn:aws:sns:sa-east-1:123456789012:alerts',
};
