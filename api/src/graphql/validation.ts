import { validateSync, type ValidationError } from 'class-validator';
import type { ValidatorFn } from 'type-graphql';

import { BadInputError } from './errors';

function describe(errors: ValidationError[], path: string[] = []): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const here = [...path, error.property];
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field: here.join('.'), message }));
    return [...own, ...describe(error.children ?? [], here)];
  });
}

/**
 * Runs the class-validator rules of input and args classes, and reports every broken rule in one message
 * that names the fields ("name must be longer than or equal to 1 characters; scopes must ...").
 */
export const validateInput: ValidatorFn = (value) => {
  if (value === null || typeof value !== 'object') return;
  const values: object[] = Array.isArray(value)
    ? value.filter((item) => item !== null && typeof item === 'object')
    : [value];
  const problems = values.flatMap((item) =>
    describe(validateSync(item, { skipMissingProperties: true, forbidUnknownValues: false })),
  );
  if (problems.length > 0) {
    throw new BadInputError(problems.map((problem) => problem.message).join('; '), problems[0]!.field);
  }
};
