/** Errors the use cases throw; the server turns each into its page (403, 400, 404), the CLI into a message. */

/** The acting user may not do this. Say why in Japanese; the server audits the refusal. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  constructor(
    message = 'この操作をする権限がありません。',
    readonly on: { planId?: number; organizationId?: number } = {},
  ) {
    super(message);
  }
}

/** A request that cannot be taken as it is (a missing or impossible revision number…), naming its field. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Input a use case refuses, with a Japanese message per field (form field name → message).
 * `taken`: a unique name already in use (the page answers 409 instead of 422).
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly problems: Readonly<Record<string, string>>,
    readonly taken = false,
  ) {
    super(Object.values(problems).join(''));
  }
}
