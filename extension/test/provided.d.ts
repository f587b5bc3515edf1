/** What the global set-up (setup.mjs) hands the test files through `inject('backend')`. */
declare module 'vitest' {
  export interface ProvidedContext {
    backend: {
      /** The worker in Miniflare, e.g. http://127.0.0.1:8787. */
      baseUrl: string;
      rootToken: string;
      /** The demo tenant's admin token, as `npm start` prints it. */
      adminToken: string;
      approverToken: string;
      tenantId: string;
    };
  }
}

export {};
