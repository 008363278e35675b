CREATE TABLE `peer_sessions` (
	`cid` text NOT NULL,
	`peer` text NOT NULL,
	`session` text,
	`registered` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `peer_sessions_cid_peer_unique` ON `peer_sessions` (`cid`,`peer`);--> statement-breakpoint
ALTER TABLE `rounds` ADD `peer_raw` text;