"""Taking a finished sequence out of the studio. Pure Python, no Qt; slow calls take a cancel
token and a progress callback and raise StudioError subclasses with a user message.

What the GUI and CLI call:
- rendering.default_render() -> RenderFn: the one place the renderer is chosen (interim for now)
- core.flowfile.read_flow_file / write_flow_file(meta=...): identity and x- blocks (core.flowmeta)
- bundle.write_bundle(target, sequence, render, meta): folder or .zip
- bpmn.sequence_to_bpmn(sequence) -> str; n8n.sequence_to_n8n(sequence, render) -> dict
- simulate.read_contacts(path), simulate.simulate(sequence, contacts, start=..., deliver=...)
- klaviyo.exporter.plan_klaviyo(...) (dry run, no network), klaviyo.exporter.export_klaviyo(...)
- delivery.send_test(...), delivery.smtp_deliver(...); credentials.* for the keyring
- state.load_library_meta / save_library_meta: x- blocks of sequences that have no flow file
"""
