/**
 * Saved churn models in IndexedDB (database "retain", store "models"), each with its
 * model card. A model holds weights and preparation statistics, never customer rows.
 */
import type { ChurnModel } from '../lib/churn/pipeline.ts';
import { transactStore } from './notebook-store.ts';

export interface ModelCard {
  id: string;
  name: string;
  createdAt: string;
  kind: 'logistic' | 'mlp';
  label: 'column' | 'derived';
  /** What churn meant when the model was trained. */
  explanation: string;
  cutoff: string | null;
  windowDays: number;
  /** SHA-256 over the loaded files' hashes and row counts. */
  fingerprint: string;
  files: { file: string; rows: number; sha256: string | null }[];
  features: string[];
  metrics: {
    auc: number;
    prAuc: number;
    cvAuc: number | null;
    customers: number;
    churnRate: number;
  };
}

export interface SavedModel {
  id: string;
  card: ModelCard;
  model: ChurnModel;
}

export async function listModels(): Promise<SavedModel[]> {
  const all = await transactStore<SavedModel[]>('models', 'readonly', (s) => s.getAll());
  return all.sort((a, b) => b.card.createdAt.localeCompare(a.card.createdAt));
}

export async function saveModel(model: SavedModel): Promise<void> {
  await transactStore('models', 'readwrite', (s) => s.put(model));
}

export async function deleteModel(id: string): Promise<void> {
  await transactStore('models', 'readwrite', (s) => s.delete(id));
}
