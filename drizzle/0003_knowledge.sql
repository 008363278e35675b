CREATE TABLE `knowledge_entries` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`title` text NOT NULL,
	`similar` text NOT NULL,
	`body` text NOT NULL,
	`title_terms` text NOT NULL,
	`body_terms` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `knowledge_entries_id_unique` ON `knowledge_entries` (`id`);--> statement-breakpoint
CREATE INDEX `knowledge_entries_source_idx` ON `knowledge_entries` (`source`);--> statement-breakpoint
CREATE TABLE `knowledge_files` (
	`path` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`entry_count` integer NOT NULL,
	`indexed_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `rounds` ADD `sources` text;