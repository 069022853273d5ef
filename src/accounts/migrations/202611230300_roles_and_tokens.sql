CREATE TABLE association_user (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES user_account ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('admin', 'officer', 'owner_contact', 'board', 'auditor')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, user_id)
);
CREATE INDEX association_user_user_idx ON association_user (user_id);
SELECT enable_tenant_isolation('association_user');

-- Personal API tokens act as their user within one association; removing the user's role removes the tokens.
CREATE TABLE api_token (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  scope text NOT NULL CHECK (scope IN ('read', 'write')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  last_used_at timestamptz,
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, user_id) REFERENCES association_user (association_id, user_id) ON DELETE CASCADE
);
SELECT enable_tenant_isolation('api_token');
