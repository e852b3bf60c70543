/**
 * One churn cell's run: the label plan, training in the worker with live progress,
 * cancel, the result, saving and scoring with saved models. Components stay thin.
 */
import {
  featureSources,
  planFeatures,
  type FeaturePlan,
  type FeatureParams,
} from '../lib/churn/features.ts';
import type {
  ChurnOptions,
  ChurnProgress,
  ChurnResult,
  ChurnScores,
} from '../lib/churn/pipeline.ts';
import { saveScoresTable } from '../lib/churn/scores.ts';
import { TrainClient } from '../lib/churn/train-client.ts';
import { registerFault } from './faults.ts';
import type { EpochReport } from '../lib/churn/tf-model.ts';
import { listTables } from '../lib/catalog/tables.ts';
import { sha256Hex } from '../lib/export/provenance.ts';
import type { SqlEngine } from '../lib/engine/types.ts';
import { isCancelled } from '../lib/engine/types.ts';
import {
  listModels,
  saveModel,
  deleteModel,
  type SavedModel,
  type ModelCard,
} from './model-store.ts';

export interface ChurnParams extends FeatureParams {
  model: 'logistic' | 'mlp';
  folds: number;
  seed: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class ChurnRun {
  plan = $state.raw<FeaturePlan | null>(null);
  planError = $state<string | null>(null);
  running = $state(false);
  progress = $state.raw<ChurnProgress | null>(null);
  /** Epochs of the main training run, for the live chart. */
  history = $state.raw<EpochReport[]>([]);
  result = $state.raw<ChurnResult | null>(null);
  /** Scores shown in the table: the trained model's, or a saved model's. */
  scores = $state.raw<{ scores: ChurnScores; groups: string[]; from: string } | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  models = $state.raw<SavedModel[]>([]);
  #client = new TrainClient();
  #controller: AbortController | null = null;
  #params: ChurnParams | null = null;

  constructor() {
    registerFault('training', () => this.#client.crash());
  }

  /** Work out the label and the feature SQL (cheap), so the UI can explain them before training. */
  async preparePlan(engine: SqlEngine, params: FeatureParams): Promise<FeaturePlan | null> {
    try {
      this.plan = planFeatures(await featureSources(engine), params);
      this.planError = null;
    } catch (error) {
      this.plan = null;
      this.planError = message(error);
    }
    return this.plan;
  }

  async train(engine: SqlEngine, params: ChurnParams) {
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    this.#params = params;
    this.running = true;
    this.error = null;
    this.notice = null;
    this.history = [];
    this.progress = { phase: 'prepare', fraction: 0, message: 'Computing features in SQL…' };
    try {
      const plan = await this.preparePlan(engine, params);
      if (!plan) throw new Error(this.planError ?? 'The churn label cannot be set up.');
      const train = await engine.query(plan.trainSql, { signal: controller.signal });
      const score = plan.scoreSql
        ? await engine.query(plan.scoreSql, { signal: controller.signal })
        : null;
      const options: ChurnOptions = { kind: params.model, folds: params.folds, seed: params.seed };
      let last = 0;
      const result = await this.#client.train(
        train,
        score,
        options,
        (p) => {
          if (p.epoch && p.phase === 'train') this.history = [...this.history, p.epoch];
          const now = performance.now();
          if (now - last > 80 || p.fraction === 1 || p.phase !== this.progress?.phase) {
            last = now;
            this.progress = p;
          }
        },
        controller.signal,
      );
      if (controller.signal.aborted) return;
      this.result = result;
      this.scores = { scores: result.scores, groups: result.features.groups, from: 'trained' };
      await saveScoresTable(engine, result.scores);
    } catch (error) {
      if (controller.signal.aborted || isCancelled(error)) {
        this.notice = 'Training was cancelled. The previous result, if any, is still shown.';
      } else this.error = message(error);
    } finally {
      if (this.#controller === controller) {
        this.running = false;
        this.progress = null;
        this.#controller = null;
      }
    }
  }

  cancel() {
    if (!this.#controller) return;
    this.#controller.abort();
    this.#client.terminate();
    this.running = false;
    this.progress = null;
    this.#controller = null;
  }

  async loadModels() {
    try {
      this.models = await listModels();
    } catch (error) {
      this.error = `Saved models could not be read: ${message(error)}`;
    }
  }

  /** Save the trained model with its card. */
  async save(engine: SqlEngine, name: string) {
    const r = this.result;
    const plan = this.plan;
    const params = this.#params;
    if (!r || !plan || !params) return;
    const files = (await listTables(engine)).map((t) => ({
      file: t.source?.file ?? t.name,
      rows: t.rows,
      sha256: t.source?.sha256 ?? null,
    }));
    const fingerprint = await sha256Hex(new TextEncoder().encode(JSON.stringify(files)));
    const card: ModelCard = {
      id: crypto.randomUUID(),
      name: name.trim() || `Churn model ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
      createdAt: new Date().toISOString(),
      kind: r.kind,
      label: plan.label,
      explanation: plan.explanation,
      cutoff: plan.cutoff ? plan.cutoff.toISOString().slice(0, 10) : null,
      windowDays: plan.windowDays,
      fingerprint,
      files,
      features: r.features.groups,
      metrics: {
        auc: r.test.auc,
        prAuc: r.test.prAuc,
        cvAuc: r.crossValidation?.meanAuc ?? null,
        customers: r.split.train + r.split.validation + r.split.test,
        churnRate: r.split.churnRate,
      },
    };
    try {
      await saveModel({ id: card.id, card, model: r.model });
      this.notice = `Saved “${card.name}”.`;
      await this.loadModels();
    } catch (error) {
      this.error = message(error);
    }
  }

  async remove(id: string) {
    await deleteModel(id);
    await this.loadModels();
  }

  /** Score the data loaded now with a saved model (its features computed the same way). */
  async scoreWith(engine: SqlEngine, saved: SavedModel) {
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    this.running = true;
    this.error = null;
    this.notice = null;
    this.progress = { phase: 'score', fraction: 0, message: `Scoring with “${saved.card.name}”…` };
    try {
      const plan = planFeatures(await featureSources(engine), {
        label: saved.card.label,
        windowDays: saved.card.windowDays,
      });
      const data = await engine.query(plan.scoreSql ?? plan.trainSql, {
        signal: controller.signal,
      });
      const scores = await this.#client.score(saved.model, data, controller.signal);
      this.scores = { scores, groups: saved.model.preprocessor.groups, from: saved.card.name };
      await saveScoresTable(engine, scores);
      const files = (await listTables(engine)).map((t) => ({
        file: t.source?.file ?? t.name,
        rows: t.rows,
        sha256: t.source?.sha256 ?? null,
      }));
      const fingerprint = await sha256Hex(new TextEncoder().encode(JSON.stringify(files)));
      this.notice =
        fingerprint === saved.card.fingerprint
          ? `Scored ${scores.ids.length.toLocaleString()} customers with “${saved.card.name}” (the data it was trained on).`
          : `Scored ${scores.ids.length.toLocaleString()} customers with “${saved.card.name}”, trained on other data (${saved.card.files.map((f) => f.file).join(', ')}).`;
    } catch (error) {
      if (controller.signal.aborted || isCancelled(error)) this.notice = 'Scoring was cancelled.';
      else this.error = message(error);
    } finally {
      if (this.#controller === controller) {
        this.running = false;
        this.progress = null;
        this.#controller = null;
      }
    }
  }

  dispose() {
    this.cancel();
    this.#client.terminate();
  }
}
