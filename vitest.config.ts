import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Three projects: fast unit suites (node), component tests (jsdom), and browser e2e (real Chromium).
export default defineConfig({
  plugins: [react()],
  test: {
    reporters: ['default'],
    coverage: {
      provider: 'v8',
      include: ['src/domain/**/*.ts'],
      reporter: ['text-summary'],
      thresholds: { 'src/domain/**/*.ts': { lines: 90 } },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/domain/**/*.test.ts', 'tests/server/**/*.test.ts', 'tests/client/**/*.test.ts'],
          setupFiles: ['tests/setup-unit.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['tests/client/**/*.test.tsx'],
          setupFiles: ['tests/setup-unit.ts', 'tests/setup-ui.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
