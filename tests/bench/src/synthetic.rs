//! Deterministic synthetic responses of campaign rows, as the API (0.5.0) sends them: rows of 2–5 KB with
//! mixed call statuses, attempts with transcripts in several languages and emoji, nulls where
//! nullable, rows without a call, both `llm_model` variants, both `tool_arguments` shapes, and
//! large `input_data`/`metadata` maps. The same seed always gives the same bytes.

use serde_json::{Map, Value, json};

/// SplitMix64: small, fast, and enough for varied test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const SENTENCES: &[&str] = &[
    "Bonjour, ici Léa de l'agence Revox, est-ce que je vous dérange ?",
    "Hello! This is Sam calling about your appointment next Tuesday at 10am.",
    "Hola, ¿tiene un minuto para hablar sobre su pedido? 📦",
    "Guten Tag, ich rufe wegen Ihrer Anfrage zur Wärmepumpe an.",
    "こんにちは、ご予約の確認のお電話です。よろしいでしょうか？",
    "Sure, that works for me 👍 — can you send the details by e-mail?",
    "Non merci, je ne suis pas intéressé pour le moment. 🙏",
    "Ciao! Volevo confermare la consegna di domani mattina.",
    "Можете перезвонить после шести вечера? Спасибо.",
    "I'd like to speak to a human agent, please. ☎️",
];

const FIRST_NAMES: &[&str] = &["Zoë", "Mateo", "Aiko", "Léa", "Ólafur", "Priya", "Noah", "Fatima", "Chen", "Björn"];
const STATUSES: &[&str] =
    &["initializing", "queued_for_calling", "calling", "scheduled", "completed", "cancelled", "errored"];
const RESULTS: &[&str] = &["IVR", "voicemail", "human", "unknown", "ios-screening-filter"];
const DIAL_ERRORS: &[&str] =
    &["number_non_attributed", "too_many_calls", "busy", "temporarily_unavailable", "no_answer"];

fn sentence(rng: &mut Rng) -> String {
    (*rng.pick(SENTENCES)).to_owned()
}

fn phone(rng: &mut Rng) -> String {
    format!("+{}{:09}", rng.pick(&[1, 33, 44, 49, 81]), rng.below(1_000_000_000))
}

fn timestamp(rng: &mut Rng) -> Value {
    json!(format!("2026-11-{:02}T{:02}:{:02}:{:02}Z", 1 + rng.below(27), rng.below(24), rng.below(60), rng.below(60)))
}

fn string_map(rng: &mut Rng, at_least: u64, spread: u64) -> Value {
    let entries = at_least + rng.below(spread);
    let mut map = Map::new();
    for i in 0..entries {
        let value = match i % 4 {
            0 => (*rng.pick(FIRST_NAMES)).to_owned(),
            1 => format!("{}@example.com", rng.pick(FIRST_NAMES).to_lowercase()),
            2 => sentence(rng),
            _ => format!("{}", rng.below(100_000)),
        };
        map.insert(format!("field_{i:02}"), json!(value));
    }
    Value::Object(map)
}

fn llm_model(rng: &mut Rng) -> Value {
    if rng.chance(50) {
        json!({"type": "dedicated-instance", "name": rng.pick(&["gpt-4.1", "ministral-3-8b-instruct"])})
    } else {
        json!({"type": "openrouter", "openrouter_model_id": "openai/gpt-4.1", "openrouter_provider": rng.pick(&["azure", "openai", "nebius"])})
    }
}

fn retry_config(rng: &mut Rng) -> Value {
    if rng.chance(30) {
        return Value::Null;
    }
    json!({
        "calling_windows": [{"calling_window_start_time": "09:00", "calling_window_end_time": "18:00", "retry_delay_seconds": 7200}],
        "max_retry_attempts": 1 + rng.below(5),
        "timezone": if rng.chance(50) { json!("Europe/Paris") } else { Value::Null },
        "allowed_days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "call_twice_in_a_row": rng.chance(20),
    })
}

fn transcript(rng: &mut Rng) -> Value {
    let turns = 2 + rng.below(3);
    let tool_call = rng.chance(60);
    let entries: Vec<Value> = (0..turns)
        .map(|i| {
            if tool_call && i == turns - 1 {
                let arguments =
                    if rng.chance(50) { json!({"email": "zoe@example.com", "slot": {"day": "tuesday", "hour": 10}}) } else { json!("{\"raw\": true}") };
                json!({"content": "", "role": "tool", "tool_arguments": arguments, "tool_is_error": rng.chance(10), "tool_name": "book_slot"})
            } else {
                let role = if i % 2 == 0 { "assistant" } else { "user" };
                // Spoken turns carry no tool fields, as in the API reference's transcripts.
                json!({"content": sentence(rng), "role": role})
            }
        })
        .collect();
    Value::Array(entries)
}

fn attempt(rng: &mut Rng, number: &str) -> Value {
    let answered = rng.chance(60);
    let mut attempt = json!({
        "id": format!("att_{:016x}", rng.next_u64()),
        "answered_at": if answered { timestamp(rng) } else { Value::Null },
        "dial_error": if answered { Value::Null } else { json!(rng.pick(DIAL_ERRORS)) },
        "ended_at": timestamp(rng),
        "phone_number": number,
        "recording_url": if answered { json!(format!("https://cdn.example.com/rec/{:x}.ogg", rng.next_u64())) } else { Value::Null },
        "result": if answered { json!(rng.pick(RESULTS)) } else { Value::Null },
        "started_at": timestamp(rng),
        "status": if answered { "completed" } else { "error" },
        "handled_by_ai": answered,
        "handled_by_human": false,
    });
    // An unanswered attempt has no transcript and nothing extracted.
    if answered {
        attempt["end_reason"] = json!("tool_end_call");
        attempt["ended_by"] = json!(rng.pick(&["agent", "user", "system"]));
        attempt["structured_output"] =
            json!({"email": "zoe@example.com", "budget": "1k-10k", "score": 0.75, "interested": true});
        attempt["transcript"] = transcript(rng);
    }
    attempt
}

fn assistant(rng: &mut Rng) -> Value {
    let prompt: Vec<String> = (0..1 + rng.below(2)).map(|_| sentence(rng)).collect();
    let mut assistant = json!({
        "id": format!("asst_{:08x}", rng.below(1 << 32)),
        "background_sound": if rng.chance(50) { json!("audio/office.ogg") } else { Value::Null },
        "background_sound_volume": 0.3,
        "calendly": if rng.chance(30) { json!({"connection_id": "conn_1", "event_type_id": "https://api.calendly.com/event_types/b2330295"}) } else { Value::Null },
        "call_retry_config": retry_config(rng),
        "created_at": timestamp(rng),
        "end_of_call_sentence": if rng.chance(50) { json!(sentence(rng)) } else { Value::Null },
        "first_sentence": sentence(rng),
        "first_sentence_delay_ms": 400,
        "first_sentence_mode": rng.pick(&["generated", "static", "none"]),
        "ivr_navigation_enabled": rng.chance(50),
        "llm_model": llm_model(rng),
        "max_call_duration_secs": 600,
        "name": format!("Assistant {}", rng.pick(FIRST_NAMES)),
        "organization_id": "org_42",
        "prompt": prompt.join(" "),
        "structured_output_config": [
            {"name": "email", "required": true, "type": "string", "description": "The e-mail address."},
            {"name": "budget", "required": false, "type": "enum", "enum_options": ["<1k", "1k-10k", ">10k"]}
        ],
        "transfer_phone_number": if rng.chance(50) { json!(phone(rng)) } else { Value::Null },
        "updated_at": timestamp(rng),
        "voice": {"id": "voice_1", "provider": rng.pick(&["cartesia", "elevenlabs"]), "speed": 1.0},
        "voicemail_message": Value::Null,
        "webhook_url": "https://hooks.example.com/revox",
        "sms_enabled": rng.chance(30),
        "stt_model": rng.pick(&["stt-rt-v4", "stt-rt-v5"]),
        "thinking_sound_probability": 0.5,
        "thinking_sound_volume": 0.4,
        "type": "standalone",
    });
    if rng.chance(50) {
        assistant["faq_items"] = json!([{"answer": "Oui", "question": "Êtes-vous un robot ?", "id": "faq_1", "needs_human_answer": false, "source": "human"}]);
        assistant["pending_faq_count"] = json!(0);
    }
    assistant
}

fn call(rng: &mut Rng, number: &str) -> Value {
    let attempts: Vec<Value> = (0..1 + rng.below(2)).map(|_| attempt(rng, number)).collect();
    let last = if rng.chance(60) { attempts.first().cloned().unwrap_or(Value::Null) } else { Value::Null };
    json!({
        "id": format!("call_{:016x}", rng.next_u64()),
        "assistant": assistant(rng),
        "call_attempts": attempts,
        "call_retry_config": retry_config(rng),
        "calls_count": rng.below(4),
        "campaign": {"id": "cmp_123", "name": "Relance devis — novembre"},
        "contact": {"company": "Crème & Brûlée SARL", "email": Value::Null, "first_name": rng.pick(FIRST_NAMES), "job_title": Value::Null, "last_name": Value::Null},
        "created_at": timestamp(rng),
        "direction": "outbound",
        "first_sentence_delay_ms": 400,
        "from_phone_number": "+33100000000",
        "is_cancelled": false,
        "is_completed": rng.chance(50),
        "last_call_attempt": last,
        "llm_model": llm_model(rng),
        "metadata": string_map(rng, 3, 6),
        "organization_id": "org_42",
        "scheduled_at": if rng.chance(50) { timestamp(rng) } else { Value::Null },
        "status": rng.pick(STATUSES),
        "to_phone_number": number,
        "updated_at": timestamp(rng),
    })
}

/// One row: `index` numbers it; a few rows have no call.
pub fn row(rng: &mut Rng, index: u64) -> Value {
    let number = phone(rng);
    let mut row = json!({
        "id": format!("row_{index:06}"),
        "input_data": string_map(rng, 4, 8),
        "phone_number": number,
        "row_index": index,
    });
    if rng.chance(85) {
        row["call"] = call(rng, &number);
    }
    row
}

/// A `GET /campaigns/{id}/rows` response of `rows` rows, as JSON text (1000 rows are about
/// 3.5 MB). Since 0.5.0 the API answers every row at once: `{"rows": [...]}`.
pub fn single_page(rows: u64) -> String {
    let mut rng = Rng::new(42);
    let rows: Vec<Value> = (0..rows).map(|i| row(&mut rng, i)).collect();
    json!({"rows": rows}).to_string()
}

/// Page `page` (zero-based) of `size` keepers out of `total`, for the zoo's paged operation
/// (`keepers.list_by_enclosure`): no operation of the Revox API pages since 0.5.0. Each keeper
/// carries about 3 KB of text, the size of a campaign row, so that a page weighs what a page of
/// rows did.
pub fn keeper_page(page: u64, size: u64, total: u64, seed: u64) -> String {
    let mut rng = Rng::new(seed ^ page.wrapping_mul(0xA24B_AED4_963E_E407));
    let first = page * size;
    let keepers: Vec<Value> = (first..(first + size).min(total))
        .map(|i| {
            let notes: Vec<String> = (0..24).map(|_| sentence(&mut rng)).collect();
            json!({"name": format!("keeper_{i:06} {}", notes.join(" "))})
        })
        .collect();
    json!({"keepers": keepers, "count": total}).to_string()
}
