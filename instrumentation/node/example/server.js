'use strict';
// A minimal Azora-style Express service using the instrumentation, so anyone can see the
// exposition the dashboards expect: node instrumentation/node/example/server.js, then
// curl http://127.0.0.1:3000/metrics. PORT sets the port (default 3000; 0 picks a free one).
const express = require('express');
const { createInstrumentation } = require('..');

function createApp(instrumentation) {
  const { middleware, metricsHandler, metrics } = instrumentation;
  const app = express();
  app.use(express.json());
  app.use(middleware);
  app.get('/metrics', metricsHandler);

  app.get('/', (req, res) => res.json({ service: 'example', ok: true }));
  app.get('/error', (req, res) => res.status(500).json({ error: 'deliberate failure' }));
  app.get('/limited', (req, res) => res.status(429).set('Retry-After', '1').json({ error: 'rate limited' }));
  app.get('/api/users/:id', (req, res) => res.json({ id: req.params.id }));

  app.post('/api/auth/login', (req, res) => {
    if (req.query.fail === '1') return res.status(401).json({ error: 'invalid credentials' });
    metrics.activeUsers.inc();
    return res.json({ token: 'example' });
  });
  app.post('/api/auth/register', (req, res) => {
    metrics.userRegistrations.inc();
    res.status(201).json({ registered: true });
  });

  app.post('/api/payments', (req, res) => {
    const amount = Number(req.body && req.body.amount);
    const currency = String((req.body && req.body.currency) || '');
    if (!Number.isFinite(amount) || amount <= 0 || !/^[A-Z]{3}$/.test(currency)) {
      return res.status(400).json({ error: 'expected {"amount": <positive number>, "currency": "<ISO 4217>"}' });
    }
    const status = req.query.fail === '1' ? 'failed' : 'success';
    metrics.paymentsProcessed.inc({ status, currency });
    metrics.paymentAmount.observe({ currency }, amount);
    return res.status(status === 'success' ? 201 : 402).json({ status, amount, currency });
  });
  return app;
}

function main() {
  const port = Number(process.env.PORT || 3000);
  const instrumentation = createInstrumentation({ business: ['auth', 'payments'] });
  const server = createApp(instrumentation).listen(port, '127.0.0.1', () => {
    // One machine-readable line: the test harness reads the port from it.
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) main();

module.exports = { createApp };
