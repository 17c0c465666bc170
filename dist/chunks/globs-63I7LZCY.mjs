import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{checkGlob,expandBraces,globsOverlap,matches,overlappingPairs}from"./chunk-E5YCJI7R.mjs";import{escapeGlob}from"./chunk-424ZN5KH.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{checkGlob,escapeGlob,expandBraces,globsOverlap,matches,overlappingPairs};
