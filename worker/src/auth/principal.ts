import type { Role } from '@patchboard/shared/schemas/common';

/** Who is calling: the service provider's root token, or a token of one tenant. */
export type Principal =
  | { readonly kind: 'root' }
  | {
      readonly kind: 'tenant';
      readonly tenantId: string;
      readonly role: Role;
      readonly prefix: string;
      /** The one host an agent token acts for; null for other roles. */
      readonly hostId: number | null;
      readonly hostname: string | null;
    };

export type TenantPrincipal = Extract<Principal, { kind: 'tenant' }>;
