CREATE TABLE `knowledge_synonyms` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`phrases` text NOT NULL
);
