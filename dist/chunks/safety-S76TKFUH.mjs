import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{decideRemoval}from"./chunk-2B3K7LAL.mjs";import"./chunk-DLBHB7P5.mjs";export{decideRemoval};
