import type { Model } from '../../state/model.svelte.ts';
import type { Session } from '../../state/session.svelte.ts';

/** What every analysis cell receives: the data, its saved parameters, and the notebook's hooks. */
export interface AnalysisCellProps {
  session: Session;
  model: Model;
  params: Record<string, unknown>;
  onParams: (params: Record<string, unknown>) => void;
  /** "Show SQL": put a statement the analysis ran into an editable SQL cell. */
  onOpenSql: (sql: string, name: string) => void;
}
