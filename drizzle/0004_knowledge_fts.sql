-- Full-text index over knowledge_entries' search terms (SQLite's external-content FTS5 pattern).
-- The bridge tokenises text itself (Intl.Segmenter words, stemmed; Han character bigrams) and stores
-- the terms space-separated, so unicode61 only splits on spaces. SQLite and D1 both ship FTS5.
CREATE VIRTUAL TABLE `knowledge_fts` USING fts5(`title_terms`, `body_terms`, content = 'knowledge_entries', content_rowid = 'seq', tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `knowledge_entries_fts_insert` AFTER INSERT ON `knowledge_entries` BEGIN
  INSERT INTO `knowledge_fts` (`rowid`, `title_terms`, `body_terms`) VALUES (new.`seq`, new.`title_terms`, new.`body_terms`);
END;
--> statement-breakpoint
CREATE TRIGGER `knowledge_entries_fts_delete` AFTER DELETE ON `knowledge_entries` BEGIN
  INSERT INTO `knowledge_fts` (`knowledge_fts`, `rowid`, `title_terms`, `body_terms`) VALUES ('delete', old.`seq`, old.`title_terms`, old.`body_terms`);
END;
