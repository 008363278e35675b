CREATE TABLE `batch_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`runtimeid` text NOT NULL,
	`target_url` text NOT NULL,
	`total` integer NOT NULL,
	`passed` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`report` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `batch_reports_runtimeid_unique` ON `batch_reports` (`runtimeid`);--> statement-breakpoint
ALTER TABLE `rounds` ADD `first_byte_ms` integer;