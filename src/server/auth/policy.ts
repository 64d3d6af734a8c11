/** Who may do what lives with the use cases (src/app/policy.ts); the server's pages read it from there. */
export * from '../../app/policy.ts';
