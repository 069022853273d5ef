-- A rekvisition: the insatsägare's claim for costs already spent in a period (usually a quarter), per kostnadsslag.
-- The förbund approves or returns it; the used amount of an insats is the sum of its approved requisitions.
CREATE TABLE requisition (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'returned')),
  note text CHECK (length(note) <= 4000),
  submitted_by uuid,
  submitted_by_label text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  decided_by uuid,
  decided_by_label text,
  decided_at timestamptz,
  decision_comment text CHECK (length(decision_comment) <= 4000),
  -- Approving more than was granted is a deliberate choice, and its reason stays with the requisition.
  over_grant_reason text CHECK (length(over_grant_reason) <= 4000),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE,
  CHECK (period_end >= period_start),
  CHECK (date_trunc('year', period_start) = date_trunc('year', period_end))
);
CREATE INDEX requisition_intervention_idx ON requisition (association_id, intervention_id, period_start);
SELECT enable_tenant_isolation('requisition');

CREATE TABLE requisition_line (
  association_id uuid NOT NULL,
  requisition_id uuid NOT NULL,
  cost_category text NOT NULL CHECK (cost_category IN ('activities', 'external_services', 'salaries', 'premises',
    'material', 'travel', 'other')),
  amount_ore bigint NOT NULL CHECK (amount_ore BETWEEN 0 AND 1000000000000),
  PRIMARY KEY (association_id, requisition_id, cost_category),
  FOREIGN KEY (association_id, requisition_id) REFERENCES requisition ON DELETE CASCADE
);
SELECT enable_tenant_isolation('requisition_line');

-- Återföring: unused money returned to the förbund, with the date and the decision it rests on.
CREATE TABLE repayment (
  association_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  intervention_id uuid NOT NULL,
  amount_ore bigint NOT NULL CHECK (amount_ore BETWEEN 1 AND 1000000000000),
  repaid_on date NOT NULL,
  decision_reference text CHECK (length(decision_reference) <= 200),
  note text CHECK (length(note) <= 4000),
  recorded_by uuid,
  recorded_by_label text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE
);
CREATE INDEX repayment_intervention_idx ON repayment (association_id, intervention_id);
SELECT enable_tenant_isolation('repayment');
