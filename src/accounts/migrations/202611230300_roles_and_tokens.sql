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

-- A user's associations, for the chooser after sign-in. Row-level security hides association_user rows outside the
-- current association, so this one narrow read runs with the owner's rights and returns only the caller's own rows.
CREATE FUNCTION associations_of_user(p_user_id uuid)
  RETURNS TABLE (association_id uuid, slug text, name text, role text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT a.id, a.slug, a.name, au.role
    FROM association_user au JOIN association a ON a.id = au.association_id
    WHERE au.user_id = p_user_id
    ORDER BY a.name
  $$;
REVOKE ALL ON FUNCTION associations_of_user(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION associations_of_user(uuid) TO samordna_app;

-- A bearer token names its association; looking it up before the tenant is known lets the API answer "not found"
-- for another association's slug, exactly as the HTML pages do, instead of "invalid token".
CREATE FUNCTION find_api_token(p_token_hash text)
  RETURNS TABLE (id uuid, association_id uuid, user_id uuid, email text, name text, scope text, expires_at timestamptz,
                 revoked_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT t.id, t.association_id, t.user_id, u.email, u.name, t.scope, t.expires_at, t.revoked_at
    FROM api_token t JOIN user_account u ON u.id = t.user_id WHERE t.token_hash = p_token_hash
  $$;
REVOKE ALL ON FUNCTION find_api_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_api_token(text) TO samordna_app;

-- The lookups a request makes before its association is known, each one statement: the session behind a cookie
-- (the caller holds its secret) with the user and, for a page under /f/{slug}, the user's own role there; and the
-- same membership for an API token's user.
CREATE FUNCTION find_session(p_session_id text, p_slug text)
  RETURNS TABLE (session_id text, csrf_token text, expires_at timestamptz, user_id uuid, email text, name text,
                 is_superadmin boolean, association_id uuid, association_slug text, association_name text,
                 association_organisation_number text, association_created_at timestamptz, role text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT s.id, s.csrf_token, s.expires_at, u.id, u.email, u.name, u.is_superadmin,
           m.id, m.slug, m.name, m.organisation_number, m.created_at, m.role
    FROM session s
    JOIN user_account u ON u.id = s.user_id
    LEFT JOIN LATERAL (
      SELECT a.id, a.slug, a.name, a.organisation_number, a.created_at, au.role
      FROM association a JOIN association_user au ON au.association_id = a.id AND au.user_id = u.id
      WHERE a.slug = p_slug
    ) m ON true
    WHERE s.id = p_session_id AND s.expires_at > now()
  $$;
REVOKE ALL ON FUNCTION find_session(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_session(text, text) TO samordna_app;

CREATE FUNCTION find_membership(p_slug text, p_user_id uuid)
  RETURNS TABLE (id uuid, slug text, name text, organisation_number text, created_at timestamptz, role text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
  AS $$
    SELECT a.id, a.slug, a.name, a.organisation_number, a.created_at, au.role
    FROM association a JOIN association_user au ON au.association_id = a.id AND au.user_id = p_user_id
    WHERE a.slug = p_slug
  $$;
REVOKE ALL ON FUNCTION find_membership(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_membership(text, uuid) TO samordna_app;
