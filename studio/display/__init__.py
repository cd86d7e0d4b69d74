"""Floor 2: how things look — every chart (plotly, no Streamlit) and presenter mode's
sizes and styles. Imports only the session floor."""
