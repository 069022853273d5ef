-- A template version an admin made by copying another (the built-in ones live in code). It can be changed until a
-- report uses it; after that, changing labels or order means copying it again.
CREATE TABLE report_template (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  key text NOT NULL CHECK (key ~ '^[a-z0-9-]+(/[a-z0-9-]+)+$'),
  based_on text NOT NULL,
  definition jsonb NOT NULL,
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, key)
);
SELECT enable_tenant_isolation('report_template');

-- The template each association uses for new reports of a kind (delrapport, slutrapport).
CREATE TABLE report_template_default (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('interim', 'final')),
  template_key text NOT NULL,
  PRIMARY KEY (association_id, kind)
);
SELECT enable_tenant_isolation('report_template_default');

-- A delrapport or slutrapport of an insats. The template version is copied into the report when it is started, so
-- the report always prints as the form it was written on. `version` guards against two writers overwriting each other.
CREATE TABLE report (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('interim', 'final')),
  template_key text NOT NULL,
  template jsonb NOT NULL,
  answers jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
  version integer NOT NULL DEFAULT 1,
  submitted_at timestamptz,
  submitted_by_label text,
  arrival_date date,
  registry_number text CHECK (length(registry_number) <= 50),
  decided_at timestamptz,
  decided_by_label text,
  decision_comment text CHECK (length(decision_comment) <= 4000),
  -- Legacy reports brought in by the JSON import keep their source id (e.g. "HT-1").
  imported_from text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE
);
CREATE INDEX report_intervention_idx ON report (association_id, intervention_id);
SELECT enable_tenant_isolation('report');
