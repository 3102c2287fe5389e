import type { GraphqlClient } from '../graphql/client';
import {
  CreateApiKeyDocument,
  MyApiKeysDocument,
  RevokeApiKeyDocument,
  type ApiKeyFieldsFragment,
  type ApiKeyScope,
} from '../graphql/generated';

export type ApiKey = ApiKeyFieldsFragment;

export async function myApiKeys(client: GraphqlClient): Promise<ApiKey[]> {
  return (await client.request(MyApiKeysDocument)).me.apiKeys;
}

/** Creates a key; the secret comes back once and is never shown again. */
export async function createApiKey(
  client: GraphqlClient,
  name: string,
  write: boolean,
): Promise<{ key: ApiKey; secret: string }> {
  const scopes: ApiKeyScope[] = write ? ['READ', 'WRITE'] : ['READ'];
  const { createApiKey: created } = await client.request(CreateApiKeyDocument, { name: name.trim(), scopes });
  return { key: created.apiKey, secret: created.secret };
}

export async function revokeApiKey(client: GraphqlClient, id: string): Promise<ApiKey> {
  return (await client.request(RevokeApiKeyDocument, { id })).revokeApiKey;
}
