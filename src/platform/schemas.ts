/**
 * JSON schemas of the API, DisSModel Platform's field names (dissmodel
 * executor schemas: JobRequest, JobResponse): Fastify validates every body and
 * query with them, and /openapi.json is built from them. Strings, objects and
 * nesting are bounded as the CLI's records are (RECORD_LIMITS).
 */
import { RECORD_LIMITS } from '../executor/index.ts';

const str = { type: 'string', maxLength: RECORD_LIMITS.maxString } as const;
const scalar = { type: ['string', 'number', 'boolean'], maxLength: RECORD_LIMITS.maxString } as const;
const stringMap = {
  type: 'object',
  maxProperties: RECORD_LIMITS.maxKeys,
  additionalProperties: { type: 'string', maxLength: RECORD_LIMITS.maxString },
} as const;

export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const INPUT_FORMATS = ['auto', 'tiff', 'raster', 'vector'] as const;
export const STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;

export const jobRequestSchema = {
  $id: 'JobRequest',
  type: 'object',
  required: ['model_name', 'input_dataset'],
  additionalProperties: false,
  properties: {
    model_name: { type: 'string', minLength: 1, maxLength: 200 },
    input_dataset: { ...str, description: 's3://bucket/key, sample:NAME, http(s):// (when enabled) or "" for a model without input' },
    input_format: { type: 'string', enum: INPUT_FORMATS, default: 'auto' },
    parameters: {
      type: 'object',
      maxProperties: RECORD_LIMITS.maxKeys,
      additionalProperties: {
        anyOf: [scalar, { type: 'array', maxItems: RECORD_LIMITS.maxKeys, items: scalar }, { type: 'null' }],
      },
      default: {},
    },
    column_map: { ...stringMap, default: {} },
    band_map: { ...stringMap, default: {} },
    priority: { type: 'string', enum: PRIORITIES, default: 'normal' },
    // Extensions (optional; DisSModel's clients do not send them):
    experiment_id: {
      type: 'string',
      pattern: '^[0-9a-f]{32}$',
      description: 'make a resubmission idempotent: the same id is the same job',
    },
    input_sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'refuse the job when the input bytes have another SHA-256' },
  },
} as const;

export interface JobRequest {
  model_name: string;
  input_dataset: string;
  input_format: (typeof INPUT_FORMATS)[number];
  parameters: Record<string, string | number | boolean | null | (string | number | boolean)[]>;
  column_map: Record<string, string>;
  band_map: Record<string, string>;
  priority: Priority;
  experiment_id?: string;
  input_sha256?: string;
}

export const jobResponseSchema = {
  $id: 'JobResponse',
  type: 'object',
  required: ['job_id', 'experiment_id', 'status', 'model_name', 'created_at', 'output_path', 'output_sha256', 'input_sha256', 'logs'],
  properties: {
    job_id: { type: 'string' },
    experiment_id: { type: 'string' },
    status: { type: 'string', enum: STATUSES },
    model_name: { type: 'string' },
    created_at: { type: 'string' },
    output_path: { type: ['string', 'null'] },
    output_sha256: { type: ['string', 'null'] },
    input_sha256: { type: ['string', 'null'] },
    logs: { type: 'array', items: { type: 'string' } },
    // Extensions:
    model_commit: { type: 'string' },
    code_version: { type: 'string' },
    progress: {
      type: ['object', 'null'],
      properties: { phase: { type: 'string' }, step: { type: 'integer' }, total: { type: 'integer' } },
    },
    attempts: { type: 'integer' },
    record_path: { type: ['string', 'null'] },
    profiling_path: { type: ['string', 'null'] },
    error: { type: ['string', 'null'] },
  },
} as const;

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['detail'],
  properties: { detail: { type: 'string' } },
} as const;

export const experimentIdParams = {
  type: 'object',
  required: ['experiment_id'],
  properties: { experiment_id: { type: 'string', pattern: '^[0-9a-f]{32}$' } },
} as const;

export const jobsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    status: { type: 'string', enum: STATUSES },
  },
} as const;

export const downloadQuery = {
  type: 'object',
  required: ['uri'],
  additionalProperties: false,
  properties: {
    uri: { type: 'string', pattern: '^s3://[^/]+/.+', maxLength: RECORD_LIMITS.maxString },
    expires_hours: { type: 'integer', minimum: 1, maximum: 168, default: 1 },
    proxy: { type: 'boolean', default: false, description: 'stream the bytes through the API instead of answering a presigned URL' },
  },
} as const;
