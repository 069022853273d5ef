-- Ekonomi: contributions, budget structure and amounts, actuals imported from the bookkeeping, and the mapping
-- between the two. Money is integer öre; budget and actual amounts of income and cost lines are stored with their
-- natural sign (income positive on an income line, cost positive on a cost line), ledger amounts as the bookkeeping
-- has them (debit positive, credit negative).

-- How statements are printed: the sign of avvikelse (the seeds' T5 prints budget − utfall), the ceiling on equity
-- that Nationella rådet recommends (hundredths of a percent of the year's contributions), and which SIE dimension
-- carries the per-insats objects (6 = projekt in the standard).
CREATE TABLE economy_settings (
  association_id uuid PRIMARY KEY REFERENCES association ON DELETE CASCADE,
  variance_sign text NOT NULL DEFAULT 'actual_minus_budget'
    CHECK (variance_sign IN ('actual_minus_budget', 'budget_minus_actual')),
  equity_ceiling_basis_points integer NOT NULL DEFAULT 2000 CHECK (equity_ceiling_basis_points BETWEEN 0 AND 10000),
  object_dimension integer NOT NULL DEFAULT 6 CHECK (object_dimension BETWEEN 1 AND 999),
  version integer NOT NULL DEFAULT 1
);
SELECT enable_tenant_isolation('economy_settings');

-- A calendar year of the förbund: the decided total contribution and whether its budget is adopted or still a plan
-- year (the board adopts a budget year and two plan years together).
CREATE TABLE fiscal_year (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  total_contribution_ore bigint NOT NULL DEFAULT 0 CHECK (total_contribution_ore BETWEEN 0 AND 100000000000000),
  budget_status text NOT NULL DEFAULT 'plan' CHECK (budget_status IN ('plan', 'adopted')),
  budget_adopted_on date,
  budget_decision text CHECK (length(budget_decision) <= 200),
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (association_id, year),
  CHECK (budget_status = 'plan' OR budget_adopted_on IS NOT NULL)
);
SELECT enable_tenant_isolation('fiscal_year');

-- A member's part of a year's contributions: its funding share that year (shares change when a kommun joins), the
-- date it became a member if that was during the year, the amount actually decided (may differ from the law's split:
-- the state gave less than half in 2014), and how it is invoiced.
CREATE TABLE member_contribution (
  association_id uuid NOT NULL,
  year integer NOT NULL,
  member_id uuid NOT NULL,
  funding_share_basis_points integer NOT NULL CHECK (funding_share_basis_points BETWEEN 0 AND 10000),
  member_from date,
  decided_ore bigint CHECK (decided_ore BETWEEN 0 AND 100000000000000),
  invoicing text NOT NULL DEFAULT 'yearly' CHECK (invoicing IN ('yearly', 'half_yearly', 'quarterly')),
  PRIMARY KEY (association_id, year, member_id),
  FOREIGN KEY (association_id, year) REFERENCES fiscal_year ON DELETE CASCADE,
  FOREIGN KEY (association_id, member_id) REFERENCES member ON DELETE CASCADE,
  CHECK (member_from IS NULL OR extract(year FROM member_from) = year)
);
SELECT enable_tenant_isolation('member_contribution');

-- One instalment of a member's contribution: when it falls due, and when it was invoiced and paid.
CREATE TABLE contribution_invoice (
  association_id uuid NOT NULL,
  year integer NOT NULL,
  member_id uuid NOT NULL,
  instalment integer NOT NULL CHECK (instalment BETWEEN 1 AND 4),
  due_on date NOT NULL,
  amount_ore bigint NOT NULL CHECK (amount_ore >= 0),
  invoiced_on date,
  paid_on date,
  PRIMARY KEY (association_id, year, member_id, instalment),
  FOREIGN KEY (association_id, year, member_id) REFERENCES member_contribution ON DELETE CASCADE,
  CHECK (paid_on IS NULL OR invoiced_on IS NOT NULL)
);
SELECT enable_tenant_isolation('contribution_invoice');

-- The association's own budget structure. Each line belongs to a section; a medlemsbidrag line names its member and
-- an insats line its insats, so that contributions and grants can be set beside budget and utfall.
CREATE TABLE budget_line (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  section text NOT NULL CHECK (section IN ('income', 'individual', 'structural', 'administration',
    'financial_income', 'financial_cost')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  member_id uuid,
  intervention_id uuid,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, member_id) REFERENCES member ON DELETE CASCADE,
  FOREIGN KEY (association_id, intervention_id) REFERENCES intervention ON DELETE CASCADE,
  CHECK (member_id IS NULL OR section = 'income'),
  CHECK (intervention_id IS NULL OR section IN ('individual', 'structural')),
  CHECK (member_id IS NULL OR intervention_id IS NULL)
);
CREATE UNIQUE INDEX budget_line_name_key ON budget_line (association_id, section, lower(name));
CREATE UNIQUE INDEX budget_line_member_key ON budget_line (association_id, member_id) WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX budget_line_intervention_key ON budget_line (association_id, intervention_id)
  WHERE intervention_id IS NOT NULL;
SELECT enable_tenant_isolation('budget_line');

-- Budget and forecast per line and month; a year's figure is always the sum of its months.
CREATE TABLE budget_amount (
  association_id uuid NOT NULL,
  scenario text NOT NULL CHECK (scenario IN ('budget', 'forecast')),
  year integer NOT NULL,
  line_id uuid NOT NULL,
  month integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  amount_ore bigint NOT NULL CHECK (amount_ore BETWEEN -100000000000000 AND 100000000000000),
  PRIMARY KEY (association_id, scenario, year, line_id, month),
  FOREIGN KEY (association_id, year) REFERENCES fiscal_year ON DELETE CASCADE,
  FOREIGN KEY (association_id, line_id) REFERENCES budget_line ON DELETE CASCADE
);
SELECT enable_tenant_isolation('budget_amount');

-- An import of actuals: a SIE file from the bookkeeping system or a table of amounts per line and month. A new
-- import whose period covers an active one replaces it; the replaced import and its rows stay for the audit trail.
CREATE TABLE actuals_import (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  source text NOT NULL CHECK (source IN ('sie', 'table')),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  period_start date NOT NULL,
  period_end date NOT NULL,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  file_sha256 bytea NOT NULL,
  company_name text,
  program text,
  object_dimension integer,
  voucher_count integer NOT NULL DEFAULT 0,
  transaction_count integer NOT NULL DEFAULT 0,
  imported_at timestamptz NOT NULL DEFAULT now(),
  imported_by uuid,
  imported_by_label text NOT NULL,
  replaced_at timestamptz,
  replaced_by uuid,
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, replaced_by) REFERENCES actuals_import,
  CHECK (period_end >= period_start)
);
CREATE INDEX actuals_import_active_idx ON actuals_import (association_id, year) WHERE replaced_at IS NULL;
SELECT enable_tenant_isolation('actuals_import');

-- One ledger row of an import: a #TRANS of a SIE file (account, the per-insats object, amount as booked) or, for a
-- table import, an amount on a budget line with its natural sign (line_id set, account null).
CREATE TABLE actual_transaction (
  association_id uuid NOT NULL,
  import_id uuid NOT NULL,
  row_number integer NOT NULL,
  booked_on date NOT NULL,
  account text CHECK (account ~ '^[0-9A-Za-z]{1,20}$'),
  object_code text,
  line_id uuid,
  amount_ore bigint NOT NULL,
  voucher text,
  description text,
  PRIMARY KEY (association_id, import_id, row_number),
  FOREIGN KEY (association_id, import_id) REFERENCES actuals_import ON DELETE CASCADE,
  FOREIGN KEY (association_id, line_id) REFERENCES budget_line,
  CHECK ((account IS NULL) <> (line_id IS NULL))
);
CREATE INDEX actual_transaction_period_idx ON actual_transaction (association_id, import_id, booked_on);
SELECT enable_tenant_isolation('actual_transaction');

-- Balances from a SIE file: #IB/#UB (balance accounts) and #RES (result accounts) for the file's year (0) and the
-- year before (-1).
CREATE TABLE actual_balance (
  association_id uuid NOT NULL,
  import_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('opening', 'closing', 'result')),
  year_index integer NOT NULL CHECK (year_index BETWEEN -10 AND 0),
  account text NOT NULL,
  amount_ore bigint NOT NULL,
  PRIMARY KEY (association_id, import_id, kind, year_index, account),
  FOREIGN KEY (association_id, import_id) REFERENCES actuals_import ON DELETE CASCADE
);
SELECT enable_tenant_isolation('actual_balance');

-- The chart of accounts as the bookkeeping last named it, and the per-insats objects.
CREATE TABLE ledger_account (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  number text NOT NULL CHECK (number ~ '^[0-9A-Za-z]{1,20}$'),
  name text NOT NULL,
  PRIMARY KEY (association_id, number)
);
SELECT enable_tenant_isolation('ledger_account');

CREATE TABLE ledger_object (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  code text NOT NULL CHECK (length(code) BETWEEN 1 AND 40),
  name text NOT NULL,
  PRIMARY KEY (association_id, code)
);
SELECT enable_tenant_isolation('ledger_object');

-- Where an account's amounts belong: a budget line (result accounts) or a line of the balance sheet (balance
-- accounts). A rule may name an account, an object, or both; the most specific rule wins (mapping.ts).
CREATE TABLE account_mapping (
  association_id uuid NOT NULL REFERENCES association ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  account text CHECK (account ~ '^[0-9A-Za-z]{1,20}$'),
  object_code text CHECK (length(object_code) BETWEEN 1 AND 40),
  line_id uuid,
  balance_line text CHECK (balance_line IN ('fixed_assets', 'receivables', 'cash', 'equity',
    'long_term_liabilities', 'current_liabilities')),
  PRIMARY KEY (association_id, id),
  FOREIGN KEY (association_id, line_id) REFERENCES budget_line ON DELETE CASCADE,
  CHECK (account IS NOT NULL OR object_code IS NOT NULL),
  CHECK ((line_id IS NULL) <> (balance_line IS NULL))
);
CREATE UNIQUE INDEX account_mapping_key ON account_mapping (association_id, coalesce(account, ''), coalesce(object_code, ''));
SELECT enable_tenant_isolation('account_mapping');
