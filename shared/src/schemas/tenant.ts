import * as v from 'valibot';
import { Timestamp } from './common';

export const TenantName = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'tenant name must be 1-64 letters, digits, spaces or "._-"'),
);

export const CreateTenantRequest = v.strictObject({ name: TenantName });
export type CreateTenantRequest = v.InferOutput<typeof CreateTenantRequest>;

export const Tenant = v.object({ id: v.string(), name: v.string(), createdAt: Timestamp });
export type Tenant = v.InferOutput<typeof Tenant>;

/** The answer to tenant creation: the only time the first admin token is shown. */
export const CreatedTenant = v.object({ id: v.string(), name: v.string(), adminToken: v.string() });
export type CreatedTenant = v.InferOutput<typeof CreatedTenant>;
