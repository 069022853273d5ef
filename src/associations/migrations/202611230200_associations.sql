CREATE TABLE association (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
  name text NOT NULL,
  organisation_number text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A member organisation. Its funding share is in hundredths of a percent of the total contributions
-- (2500 = 25,00 %); the law's split (state half, region quarter, kommuner quarter) is checked by the application.
CREATE TABLE member (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('fk', 'af', 'region', 'kommun', 'other')),
  organisation_number text,
  funding_share_basis_points integer NOT NULL DEFAULT 0 CHECK (funding_share_basis_points BETWEEN 0 AND 10000),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id)
);
CREATE UNIQUE INDEX member_name_key ON member (association_id, lower(name));
SELECT enable_tenant_isolation('member');
