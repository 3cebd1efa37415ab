-- shell.sql - a script for the sqlite3 shell, run on the host and in Keel
-- (sqlite3 -batch -init shell.sql :memory: .quit); the two outputs must be
-- identical. Dates are fixed, so nothing depends on the clock.
.headers on
.mode list
CREATE TABLE task(id INTEGER PRIMARY KEY, name TEXT NOT NULL, tier TEXT, pages INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO task(name, tier, pages)
SELECT printf('svc%03d', i), CASE i % 4 WHEN 0 THEN 'photon' WHEN 1 THEN 'matter'
	WHEN 2 THEN 'gravity' ELSE 'void' END, (i * 37) % 101 FROM n;
SELECT tier, count(*) AS n, sum(pages) AS pages, round(avg(pages), 3) AS mean
	FROM task GROUP BY tier ORDER BY tier;
.mode column
SELECT name, pages, rank() OVER (PARTITION BY tier ORDER BY pages DESC, id) AS r
	FROM task WHERE id <= 12 ORDER BY id;
.mode list
CREATE INDEX task_pages ON task(pages);
SELECT count(*) FROM task WHERE pages BETWEEN 10 AND 20;
CREATE TABLE edge(a INTEGER, b INTEGER);
INSERT INTO edge SELECT id, (id * 7) % 200 + 1 FROM task;
SELECT t.name, u.name FROM edge JOIN task t ON t.id = edge.a JOIN task u ON u.id = edge.b
	WHERE edge.a < 6 ORDER BY edge.a;
SELECT json_object('name', name, 'pages', pages) FROM task WHERE id IN (1, 2, 3);
SELECT json_extract('{"a":[1,2,{"b":"keel"}]}', '$.a[2].b');
SELECT date('2024-02-28', '+1 day'), datetime(1700000000, 'unixepoch'),
	strftime('%Y-%j %H:%M', '2021-12-31 23:59:59'), julianday('2000-01-01');
SELECT printf('%.3f|%e|%10.4g|%x|%q', 3.14159265, 12345.678, 0.000123456, 255, 'it''s');
SELECT upper('keel'), length('größe'), substr('capability', 3, 4), hex(zeroblob(4)),
	replace('a-b-c', '-', '+'), trim('  x  '), instr('microkernel', 'kernel');
SELECT 7 / 2, 7 % 3, 7.0 / 2, cast('42abc' AS INTEGER), typeof(1e3), 9223372036854775807 + 0;
BEGIN;
UPDATE task SET pages = pages * 2 WHERE tier = 'void';
SAVEPOINT s1;
DELETE FROM task WHERE id > 150;
ROLLBACK TO s1;
COMMIT;
SELECT count(*), sum(pages) FROM task;
SELECT group_concat(name, ',') FROM (SELECT name FROM task ORDER BY pages DESC, id LIMIT 5);
CREATE VIRTUAL TABLE doc USING fts5(body);
INSERT INTO doc VALUES ('the kernel moves messages'), ('services restart after faults'),
	('capabilities are derived and revoked');
SELECT rowid, body FROM doc WHERE doc MATCH 'kernel OR revoked' ORDER BY rowid;
PRAGMA integrity_check;
