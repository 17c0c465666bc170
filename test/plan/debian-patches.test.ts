// Pure parts of the Debian patch-series evaluation (bench/eval/debian/dep3.ts).
import { describe, expect, it } from 'vitest';
import { parseSeries, patchFiles, patchText } from '../../bench/eval/debian/dep3.js';

const MAIL = `From 8c3de439bb486812ed3a63d24573c58f2c96dc70 Mon Sep 17 00:00:00 2001
From: Colin Watson <cjwatson@debian.org>
Date: Tue, 7 Oct 2014 13:22:41 +0100
Subject: [PATCH] Restore TCP wrappers support

Support for TCP wrappers was dropped in OpenSSH 6.7.

Forwarded: not-needed
Last-Update: 2022-02-23

Patch-Name: restore-tcp-wrappers.patch
---
 configure.ac | 57 +++++++++
 sshd.c       | 25 ++++
 2 files changed, 82 insertions(+)

diff --git a/configure.ac b/configure.ac
index 1111111..2222222 100644
--- a/configure.ac
+++ b/configure.ac
@@ -1,3 +1,4 @@
 x
+y
diff --git a/sshd.c b/sshd.c
--- a/sshd.c
+++ b/sshd.c
@@ -5 +5 @@
-a
+b
`;
const DEP3 = `Description: Fix a crash in do_login() when the tty is gone
 The login code assumed a terminal.
 .
 Now it checks first.
Author: Someone <s@example.org>
Bug-Debian: https://bugs.debian.org/123456
Origin: vendor
Last-Update: 2020-01-01

Index: pkg-1.0/src/login.c
===================================================================
--- pkg-1.0.orig/src/login.c
+++ pkg-1.0/src/login.c
@@ -1 +1 @@
-a
+b
--- /dev/null
+++ pkg-1.0/src/new-file.c
@@ -0,0 +1 @@
+new
--- pkg-1.0.orig/src/gone.c
+++ /dev/null
@@ -1 +0,0 @@
-gone
`;

describe('patchText', () => {
  it('keeps the subject and prose of a format-patch mail, never the diffstat or the diff', () => {
    const t = patchText(MAIL);
    expect(t).toBe('Restore TCP wrappers support\n\nSupport for TCP wrappers was dropped in OpenSSH 6.7.');
    expect(t).not.toMatch(/configure\.ac|sshd\.c|Patch-Name|Forwarded/);
  });
  it('unfolds a DEP-3 description and drops the bookkeeping fields', () => {
    expect(patchText(DEP3)).toBe(
      'Fix a crash in do_login() when the tty is gone\nThe login code assumed a terminal.\n\nNow it checks first.',
    );
  });
});

describe('patchFiles', () => {
  it('reads the files from the diff headers, stripping one component', () => {
    expect(patchFiles(MAIL)).toEqual(['configure.ac', 'sshd.c']);
    expect(patchFiles(DEP3)).toEqual(['src/gone.c', 'src/login.c', 'src/new-file.c']);
  });
  it('honours -p0 and refuses paths that climb out', () => {
    expect(patchFiles('--- src/a.c\n+++ src/a.c\n@@ -1 +1 @@\n', 0)).toEqual(['src/a.c']);
    expect(patchFiles('--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n')).toEqual([]);
  });
});

describe('parseSeries', () => {
  it('names in order, -pN, comments and blank lines', () => {
    expect(parseSeries('# comment\na.patch\n\nb.patch -p0\nc.patch # trailing\n')).toEqual([
      { name: 'a.patch', strip: 1 },
      { name: 'b.patch', strip: 0 },
      { name: 'c.patch', strip: 1 },
    ]);
  });
});
