-- An insats: a funded project or lasting activity, from the first draft of its application to the approved final
-- report. `version` is bumped by every change so that two people editing at once cannot overwrite each other.
CREATE TABLE intervention (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  owner_organisation_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('individual', 'structural')),
  target_group text,
  start_date date NOT NULL,
  end_date date NOT NULL,
  intake_end_date date,
  conditions text,
  registry_number text,
  -- The board decision as written until the board module links it: "§ 42" and its meeting date.
  decision_section text,
  decision_date date,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'in_preparation', 'granted',
    'rejected', 'ongoing', 'ended', 'final_report_submitted', 'final_report_approved')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, owner_organisation_id) REFERENCES organisation (association_id, id),
  CHECK (end_date >= start_date),
  CHECK (intake_end_date IS NULL OR intake_end_date BETWEEN start_date AND end_date)
);
CREATE INDEX intervention_status_idx ON intervention (association_id, status);
CREATE INDEX intervention_owner_idx ON intervention (association_id, owner_organisation_id);
SELECT enable_tenant_isolation('intervention');

-- Granted money per calendar year of the insats, in öre.
CREATE TABLE intervention_grant (
  association_id uuid NOT NULL,
  intervention_id uuid NOT NULL,
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  amount_ore bigint NOT NULL CHECK (amount_ore BETWEEN 0 AND 1000000000000),
  PRIMARY KEY (association_id, intervention_id, year),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE
);
SELECT enable_tenant_isolation('intervention_grant');

-- Medsökande and samverkansparter; the insatsägare itself is the intervention's owner, not a partner.
CREATE TABLE intervention_partner (
  association_id uuid NOT NULL,
  intervention_id uuid NOT NULL,
  organisation_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('co_applicant', 'cooperating_partner')),
  contact_name text,
  contact_email text,
  PRIMARY KEY (association_id, intervention_id, organisation_id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE,
  FOREIGN KEY (association_id, organisation_id) REFERENCES organisation (association_id, id)
);
SELECT enable_tenant_isolation('intervention_partner');

-- Every status change: who, when, from what to what, and why (a return or a rejection must say why).
CREATE TABLE intervention_status_change (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL,
  from_status text,
  to_status text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by uuid,
  changed_by_label text NOT NULL,
  comment text,
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE
);
CREATE INDEX intervention_status_change_idx ON intervention_status_change (association_id, intervention_id, changed_at);
SELECT enable_tenant_isolation('intervention_status_change');
