/* Automation = directive + feedback loop; augmentation = task iteration + validation + learning (Handa et
   al. 2025); 'filtered' is the share of conversations not classified. */
select
    aei_release,
    task_text,
    directive + feedback_loop as automation,
    task_iteration + validation + learning as augmentation
from {{ source('aei', 'task_interaction') }}
