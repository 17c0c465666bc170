import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{branchExists,currentBranch,dirtyState,git,gitRun,listWorktrees,revParse,runShell}from"./chunk-IMVON7S5.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{branchExists,currentBranch,dirtyState,git,gitRun,listWorktrees,revParse,runShell};
