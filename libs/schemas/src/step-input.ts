import { z } from 'zod';

/**
 * The Step Functions execution a step's function runs in, passed by the state machine as
 * `executionName` (`$$.Execution.Name`) and logged as `execution_name`, so that one execution's
 * lines are found by the name its console page and its failure notice show. Optional: a function
 * invoked by hand, or by a state machine deployed before it was passed, runs without it. Step
 * Functions names are 1 to 80 characters without white space, brackets, wildcards, control
 * characters or any of `"#%\^|~`$&,;:/`.
 *
 * @example
 * const eventSchema = z.object({ executionName: executionNameSchema.optional() });
 * eventSchema.parse({ executionName: 'c0a8e6c2-5f3a-4e0b-9d5e-1b2f3c4d5e6f' });
 */
export const executionNameSchema = z
  .string()
  .regex(/^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u, 'must be a Step Functions execution name: 1 to 80 characters, none of them white space, <>{}[]?*"#%\\^|~`$&,;:/ or a control character');
