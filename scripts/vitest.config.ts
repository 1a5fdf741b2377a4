import { defineProject } from 'vitest/config';

// Checks of the repository itself (conventions that span packages).
export default defineProject({ test: { name: 'repository', include: ['test/**/*.test.ts'] } });
