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
