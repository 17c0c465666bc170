import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};
import{decideRemoval}from"./worktree-safety.chunk.mjs";import"./runtime.chunk.mjs";export{decideRemoval};
