CREATE TABLE `conversations` (
	`cid` text PRIMARY KEY NOT NULL,
	`robotid` text,
	`companyid` text,
	`partnerid` text,
	`source_enum` text,
	`round_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cid` text NOT NULL,
	`roundid` text NOT NULL,
	`companyid` text,
	`robotid` text,
	`question` text NOT NULL,
	`show_question` text,
	`input_type` text NOT NULL,
	`msg_type` text NOT NULL,
	`robot_model` text,
	`is_test` integer DEFAULT false NOT NULL,
	`req_stream` integer DEFAULT false NOT NULL,
	`copilot` integer DEFAULT false NOT NULL,
	`runtimeid` text,
	`questionid` text,
	`request` text,
	`status` text NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`answer_source` text,
	`answer_text` text,
	`answer_type` text,
	`lan` text,
	`success` integer,
	`items` text,
	`error` text,
	`model` text,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`total_tokens` integer,
	`first_token_ms` integer,
	`latency_ms` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`completed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rounds_cid_roundid_unique` ON `rounds` (`cid`,`roundid`);--> statement-breakpoint
CREATE INDEX `rounds_cid_created_idx` ON `rounds` (`cid`,`created_at`);