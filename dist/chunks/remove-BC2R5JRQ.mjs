import{createRequire as __jitpCR}from'node:module';const require=__jitpCR(import.meta.url);
import{removalFacts,removeIssue}from"./chunk-MTO7GQXA.mjs";import"./chunk-2B3K7LAL.mjs";import"./chunk-OGHAFRZ6.mjs";import"./chunk-ZV5ZV5X4.mjs";import"./chunk-MD5Z5WJH.mjs";import"./chunk-5MFIRO4G.mjs";import"./chunk-QTBIG56Y.mjs";import"./chunk-DLBHB7P5.mjs";export{removalFacts,removeIssue};
