//! Print the JSON Schema of the plugin messages, as committed in
//! `plugins/schema/messages.schema.json`:
//!
//! ```sh
//! cargo run -p simpul-plugin --example message-schema > plugins/schema/messages.schema.json
//! ```

fn main() {
    print!("{}", simpul_plugin::message_schema::messages_json());
}
