/** The OpenAPI 3.1 document served at /openapi.json, built from the same schemas Fastify validates with. */
import { CODE_VERSION } from '../version.ts';
import { downloadQuery, errorSchema, experimentIdParams, jobRequestSchema, jobResponseSchema, jobsQuery } from './schemas.ts';

const strip = (schema: object): object => {
  const { $id: _id, ...rest } = schema as { $id?: string };
  return rest;
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description:
          { 400: 'malformed request', 401: 'missing or wrong X-API-Key', 404: 'not found', 413: 'too large', 503: 'unhealthy' }[c] ??
          'error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );

const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const queryParams = (schema: { properties: Record<string, object>; required?: readonly string[] }) =>
  Object.entries(schema.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: s,
  }));
const idParam = [{ name: 'experiment_id', in: 'path', required: true, schema: experimentIdParams.properties.experiment_id }];
const secured = [{ ApiKey: [] }];

export function openApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'DisSModel Platform API (DisSModel Workbench)',
      version: CODE_VERSION,
      description: 'DisSModel Platform\'s job API: submit records, follow them, fetch their artefacts. Errors are {"detail": "..."}.',
    },
    components: {
      securitySchemes: { ApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      schemas: { JobRequest: strip(jobRequestSchema), JobResponse: strip(jobResponseSchema), Error: strip(errorSchema) },
    },
    paths: {
      '/health': { get: { summary: 'Redis and S3 reachable', responses: { 200: json({ type: 'object' }), ...errors(503) } } },
      '/models': { get: { summary: 'registered models', security: secured, responses: { 200: json({ type: 'object' }), ...errors(401) } } },
      '/models/{model_name}': {
        get: {
          summary: "a model's spec",
          security: secured,
          parameters: [{ name: 'model_name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json({ type: 'object' }), ...errors(401, 404) },
        },
      },
      '/submit_job': {
        post: {
          summary: 'queue a run of a registered model',
          security: secured,
          requestBody: { required: true, content: { 'application/json': { schema: ref('JobRequest') } } },
          responses: { 200: json(ref('JobResponse')), ...errors(400, 401, 404) },
        },
      },
      '/job/{experiment_id}': {
        get: {
          summary: 'status, progress and provenance',
          security: secured,
          parameters: idParam,
          responses: { 200: json(ref('JobResponse')), ...errors(400, 401, 404) },
        },
        delete: {
          summary: 'cancel a queued or running job',
          security: secured,
          parameters: idParam,
          responses: { 200: json({ type: 'object' }), ...errors(400, 401, 404) },
        },
      },
      '/jobs': {
        get: {
          summary: 'experiments, newest first',
          security: secured,
          parameters: queryParams(jobsQuery),
          responses: { 200: json({ type: 'object' }), ...errors(400, 401) },
        },
      },
      '/experiments/{experiment_id}/reproduce': {
        post: {
          summary: "re-run an experiment's record (its input checksum is enforced)",
          security: secured,
          parameters: idParam,
          responses: { 200: json(ref('JobResponse')), ...errors(401, 404) },
        },
      },
      '/data/upload': {
        post: {
          summary: 'upload an input to s3://<input bucket>/inputs/<label>/<file>',
          security: secured,
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file', 'label'],
                  properties: { file: { type: 'string', format: 'binary' }, label: { type: 'string' } },
                },
              },
            },
          },
          responses: { 200: json({ type: 'object' }), ...errors(400, 401, 413) },
        },
      },
      '/download': {
        get: {
          summary: 'a presigned URL of an artefact or input (or the bytes with proxy=true)',
          security: secured,
          parameters: queryParams(downloadQuery),
          responses: { 200: json({ type: 'object' }), ...errors(400, 401, 404) },
        },
      },
    },
  };
}
