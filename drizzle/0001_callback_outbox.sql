CREATE TABLE `callbacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`cid` text NOT NULL,
	`roundid` text NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`last_http_status` integer,
	`created_at` integer NOT NULL,
	`queued_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `callbacks_round_kind_unique` ON `callbacks` (`round_id`,`kind`);--> statement-breakpoint
CREATE INDEX `callbacks_due_idx` ON `callbacks` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `sobot_tokens` (
	`appid` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`expires_at` integer NOT NULL,
	`fetched_at` integer NOT NULL
);
