'use strict';
// The instrumentation contract between the Azora services and the azora-dash dashboards.
// The family names, types and labels below are the ones azora_dash/lint/catalogue.yaml lists;
// tests/instrumentation/test_node_contract.py runs this module under real Node and fails on any drift.
//
// Why one registry: a prom-client metric built without `registers` lands in the *global* registry
// (prom-client v15.1.3 lib/metric.js, constructor: `registers: [globalRegistry]`), so a /metrics
// handler that serves a private Registry never exposes it. Every metric here names its registry.
const client = require('prom-client');

const DURATION_BUCKETS = [0.1, 0.5, 1, 2, 5, 10];
const AMOUNT_BUCKETS = [1, 10, 50, 100, 500, 1000, 5000];
// Requests that no route matched (404s, rejections by middleware before routing) share one label
// value, so a scan of random URLs cannot create a series per path.
const UNMATCHED = 'unmatched';
// W3C Trace Context: version-traceid-parentid-flags; an all-zero trace id is invalid.
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

function traceIdFromTraceparent(req) {
  const match = TRACEPARENT.exec(String(req.headers.traceparent || '').trim().toLowerCase());
  return match && !/^0+$/.test(match[1]) ? match[1] : undefined;
}

function routeLabel(req) {
  // req.route exists only once a route handler matched; its path is the template (/users/:id).
  return req.route && typeof req.route.path === 'string' ? req.route.path : UNMATCHED;
}

function httpMetrics(registry) {
  const labelNames = ['method', 'route', 'status_code'];
  return {
    duration: new client.Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests in seconds',
      labelNames,
      buckets: DURATION_BUCKETS,
      // Exemplars carry the trace id of a request in its latency bucket (OpenMetrics only).
      enableExemplars: true,
      registers: [registry],
    }),
    requests: new client.Counter({
      name: 'http_requests_total',
      help: 'Total number of HTTP requests',
      labelNames,
      registers: [registry],
    }),
  };
}

// Business metrics are opt-in per service, so a service without payments exposes no
// payments_processed_total stuck at zero.
const BUSINESS = {
  auth: (registry) => ({
    userRegistrations: new client.Counter({
      name: 'user_registrations_total',
      help: 'Total number of user registrations',
      registers: [registry],
    }),
    activeUsers: new client.Gauge({
      name: 'active_users',
      help: 'Number of currently active users',
      registers: [registry],
    }),
  }),
  payments: (registry) => ({
    paymentsProcessed: new client.Counter({
      name: 'payments_processed_total',
      help: 'Total number of payments processed',
      labelNames: ['status', 'currency'],
      registers: [registry],
    }),
    paymentAmount: new client.Histogram({
      name: 'payment_amount',
      help: 'Payment amounts processed',
      labelNames: ['currency'],
      buckets: AMOUNT_BUCKETS,
      registers: [registry],
    }),
  }),
};

/**
 * Create the instrumentation of one service.
 * @param {object} [options]
 * @param {string[]} [options.business] - business metric groups to register: 'auth', 'payments'
 * @param {(req) => string|undefined} [options.getTraceId] - the active trace id of a request, for
 *   exemplars; defaults to the trace id of its `traceparent` header
 * @param {boolean} [options.defaultMetrics] - prom-client's process_* and nodejs_* metrics (default true)
 */
function createInstrumentation(options = {}) {
  const { business = [], getTraceId = traceIdFromTraceparent, defaultMetrics = true } = options;
  // OpenMetrics is the only exposition format that carries exemplars
  // (prom-client v15.1.3 lib/registry.js, getMetricsAsString: exemplars only when isOpenMetrics).
  const registry = new client.Registry(client.Registry.OPENMETRICS_CONTENT_TYPE);
  if (defaultMetrics) client.collectDefaultMetrics({ register: registry });
  const http = httpMetrics(registry);
  const metrics = {};
  for (const group of business) {
    if (!BUSINESS[group]) throw new Error(`unknown business metric group ${group}; use ${Object.keys(BUSINESS)}`);
    Object.assign(metrics, BUSINESS[group](registry));
  }

  function middleware(req, res, next) {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status_code: String(res.statusCode) };
      const value = Number(process.hrtime.bigint() - start) / 1e9;
      const traceId = getTraceId(req);
      http.duration.observe({ labels, value, exemplarLabels: traceId ? { trace_id: traceId } : {} });
      http.requests.inc(labels);
    });
    next();
  }

  async function metricsHandler(req, res) {
    try {
      res.set('Content-Type', registry.contentType);
      res.end(await registry.metrics());
    } catch (err) {
      res.status(500).end(String(err));
    }
  }

  return { registry, middleware, metricsHandler, metrics };
}

module.exports = {
  createInstrumentation,
  traceIdFromTraceparent,
  routeLabel,
  UNMATCHED,
  DURATION_BUCKETS,
  AMOUNT_BUCKETS,
};
