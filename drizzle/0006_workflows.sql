CREATE TABLE `workflow_sessions` (
	`cid` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`node_id` text NOT NULL,
	`variables` text NOT NULL,
	`pending` text,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `rounds` ADD `handover` text;