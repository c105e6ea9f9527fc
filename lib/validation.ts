import { ValidationError as YupValidationError } from 'yup';

/** One offending field: a dotted path (`Data[0].EXT.MainOrder.Products[1].Quantity`) and what is wrong. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Input that breaks a schema. Carries every offending field, never just the first. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    readonly issues: FieldIssue[],
    context = 'invalid input',
  ) {
    super(`${context}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

/** Flattens a yup error (validated with abortEarly: false) into field issues. */
export function issuesFromYup(err: YupValidationError): FieldIssue[] {
  const leaves = err.inner.length > 0 ? err.inner : [err];
  return leaves.map((e) => ({ path: e.path ?? '', message: e.message }));
}
